using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>The uniformity test of simulation-based calibration's rank histograms, shared by every engine's SBC.</summary>
public static class RankHistograms
{
    /// <summary>The chi-square 0.999 quantile at 9 degrees of freedom: a calibrated latent fails with probability 0.001.</summary>
    public const double Critical = 27.88;

    /// <summary>Each latent's ten bins of ranks, over <paramref name="replications"/> replications, uniform at p = 0.001.</summary>
    public static void AssertUniform(string model, IReadOnlyDictionary<string, int[]> bins, int replications)
    {
        foreach (var (latent, counts) in bins)
        {
            var expected = replications / 10.0;
            var chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
            Assert.True(chiSquare < Critical, $"{model}.{latent}: rank histogram [{string.Join(", ", counts)}], chi-square {chiSquare:F1} >= {Critical}");
        }
    }
}
