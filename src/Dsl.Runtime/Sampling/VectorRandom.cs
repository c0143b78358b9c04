using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>Four-lane uniform, exponential and normal variates drawn from a <see cref="RandomStream"/>.</summary>
public static class VectorRandom
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Uniform(ref RandomStream random) => random.NextDoubleVector();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exponential(ref RandomStream random) => -Vector256.Log(random.NextDoubleVector());

    /// <summary>Box-Muller, keeping the cosine branch (one normal per two uniforms, like the scalar path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Normal(ref RandomStream random)
    {
        var radius = Vector256.Sqrt(Vector256.Create(-2.0) * Vector256.Log(random.NextDoubleVector()));
        return radius * Vector256.Cos(Vector256.Create(2.0 * Math.PI) * random.NextDoubleVector());
    }

    /// <summary>True when any lane of a comparison mask is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Vector256<double> mask) => mask.ExtractMostSignificantBits() != 0;
}
