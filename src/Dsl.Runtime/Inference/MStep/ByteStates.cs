using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Runtime.Inference.MStep;

/// <summary>
/// Products of double weights with a stored sample of discrete latents (one byte per entry), the inner loops of
/// the M-step's expectations over Gibbs samples. Eight bytes at a time are widened to doubles (AVX2), with two
/// accumulators so the sums do not wait on one another; the scalar loop is the reference and handles the rest.
/// </summary>
public static class ByteStates
{
    /// <summary>sum_e weights[e] * states[e].</summary>
    public static double Dot(ReadOnlySpan<double> weights, ReadOnlySpan<byte> states)
    {
        var e = 0;
        var sum = 0.0;
        if (Avx2.IsSupported)
        {
            var low = Vector256<double>.Zero;
            var high = Vector256<double>.Zero;
            for (; e + 8 <= states.Length; e += 8)
            {
                var (first, second) = Widen(states, e);
                low = Vector256.FusedMultiplyAdd(first, Vector256.Create(weights[e..]), low);
                high = Vector256.FusedMultiplyAdd(second, Vector256.Create(weights[(e + 4)..]), high);
            }
            sum = Vector256.Sum(low + high);
        }
        for (; e < states.Length; e++) sum += weights[e] * states[e];
        return sum;
    }

    /// <summary>target[e] += scale * states[e].</summary>
    public static void AddScaled(Span<double> target, double scale, ReadOnlySpan<byte> states)
    {
        var e = 0;
        if (Avx2.IsSupported)
        {
            var factor = Vector256.Create(scale);
            for (; e + 8 <= states.Length; e += 8)
            {
                var (first, second) = Widen(states, e);
                Vector256.FusedMultiplyAdd(factor, first, Vector256.Create<double>(target[e..])).CopyTo(target[e..]);
                Vector256.FusedMultiplyAdd(factor, second, Vector256.Create<double>(target[(e + 4)..])).CopyTo(target[(e + 4)..]);
            }
        }
        for (; e < states.Length; e++) target[e] += scale * states[e];
    }

    /// <summary>States e..e+7 as two vectors of doubles.</summary>
    private static (Vector256<double> First, Vector256<double> Second) Widen(ReadOnlySpan<byte> states, int e)
    {
        var bytes = Vector128.CreateScalar(MemoryMarshal.Read<ulong>(states[e..])).AsByte();
        var ints = Avx2.ConvertToVector256Int32(bytes);
        return (Avx.ConvertToVector256Double(ints.GetLower()), Avx.ConvertToVector256Double(ints.GetUpper()));
    }
}
