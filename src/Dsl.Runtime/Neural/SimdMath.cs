using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Vector operations the neural kernels need, generic over float (training) and double (gradient checks).
/// The type tests are constants to the JIT, so each instantiation compiles to one instruction sequence.
/// </summary>
internal static class SimdMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> addend)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), addend.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), addend.AsDouble()).As<double, T>();
        return a * b + addend;
    }

    public static T Constant<T>(double value) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateTruncating(value);
}
