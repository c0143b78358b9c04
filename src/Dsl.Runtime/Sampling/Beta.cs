using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>Beta(a, b) = Ga / (Ga + Gb), formed from log-gammas so tiny shapes keep their mass near 0 and 1.</summary>
public static class Beta
{
    public static double Sample(double a, double b, ref RandomStream random)
    {
        var la = Gamma.SampleLog(a, ref random);
        var lb = Gamma.SampleLog(b, ref random);
        var m = Math.Max(la, lb);
        var ea = Math.Exp(la - m);
        return ea / (ea + Math.Exp(lb - m));
    }

    public static void Sample(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> destination, ref RandomStream random)
    {
        var i = 0;
        for (; i + 4 <= a.Length; i += 4)
        {
            var la = Gamma.SampleLog(Vector256.Create(a[i..]), ref random);
            var lb = Gamma.SampleLog(Vector256.Create(b[i..]), ref random);
            var m = Vector256.Max(la, lb);
            var ea = Vector256.Exp(la - m);
            (ea / (ea + Vector256.Exp(lb - m))).CopyTo(destination[i..]);
        }
        for (; i < a.Length; i++) destination[i] = Sample(a[i], b[i], ref random);
    }
}
