namespace Dsl.Tests.Shared;

/// <summary>Pearson's correlation, the recovery tests' measure of estimates against the truth.</summary>
public static class Pearson
{
    public static double Correlation(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = 0, va = 0, vb = 0;
        for (var n = 0; n < a.Count; n++) { cov += (a[n] - ma) * (b[n] - mb); va += (a[n] - ma) * (a[n] - ma); vb += (b[n] - mb) * (b[n] - mb); }
        return cov / Math.Sqrt(va * vb);
    }

    /// <summary>The correlation of the logarithms, for positive quantities whose errors are relative.</summary>
    public static double LogCorrelation(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        Correlation(a.Select(v => Math.Log(v)).ToList(), b.Select(v => Math.Log(v)).ToList());
}
