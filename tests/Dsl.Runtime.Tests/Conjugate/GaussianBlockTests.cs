using Dsl.Runtime.Conjugate;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Conjugate;

/// <summary>The joint Normal update: its accumulated natural parameters, and draws whose moments are Λ⁻¹h and Λ⁻¹.</summary>
public sealed class GaussianBlockTests
{
    [Fact]
    public void Accumulate_AddsTheWeightedOuterProductAndShift()
    {
        var precision = new double[9];
        var shift = new double[3];
        GaussianBlock.Accumulate(precision, shift, [1, 0, 2], 0.5, 3);
        Assert.Equal([0.5, 0, 1, 0, 0, 0, 1, 0, 2], precision);
        Assert.Equal([1.5, 0, 3], shift);
    }

    [Fact]
    public void AGramSummedOnce_GivesWhatEveryEntryAccumulatedGives()
    {
        // Three design rows of width 5 (past one Vector256), one precision for all, their own residuals.
        double[][] rows = [[1, 0.5, -2, 0, 3], [1, -1, 0.25, 4, 0], [1, 2, 2, -1, 0.5]];
        double[] residuals = [0.3, -1.1, 2.0];
        const double weight = 0.7;
        var (direct, directShift) = (new double[25], new double[5]);
        for (var n = 0; n < 3; n++) GaussianBlock.Accumulate(direct, directShift, rows[n], weight, residuals[n]);
        var (gram, viaGram, viaGramShift) = (new double[25], new double[25], new double[5]);
        foreach (var row in rows) GaussianBlock.AddOuter(gram, row);
        GaussianBlock.AddScaled(viaGram, gram, weight);
        for (var n = 0; n < 3; n++) Dsl.Runtime.Hmc.Rows.AddScaled(rows[n], weight * residuals[n], viaGramShift);
        for (var i = 0; i < 25; i++) Assert.Equal(direct[i], viaGram[i], 1e-12);
        for (var i = 0; i < 5; i++) Assert.Equal(directShift[i], viaGramShift[i], 1e-12);
    }

    [Fact]
    public void Draws_HaveTheConditionalsMeanAndCovariance()
    {
        // Λ = [[4, 1.5], [1.5, 1]]: covariance Λ⁻¹ = [[1, -1.5], [-1.5, 4]] / 1.75, mean Λ⁻¹h with h = (1, 2).
        double[] lambda = [4, 1.5, 1.5, 1];
        double[] shift = [1, 2];
        var determinant = 4 * 1 - 1.5 * 1.5;
        double[] covariance = [1 / determinant, -1.5 / determinant, -1.5 / determinant, 4 / determinant];
        double[] mean = [covariance[0] * 1 + covariance[1] * 2, covariance[2] * 1 + covariance[3] * 2];
        const int draws = 200_000;
        var (sum, squares) = (new double[2], new double[4]);
        var random = new RandomStream(11, 0);
        var x = new double[2];
        var scratch = new double[4];
        for (var n = 0; n < draws; n++)
        {
            lambda.CopyTo(scratch, 0);
            GaussianBlock.Draw("a, b", scratch, shift, x, ref random);
            for (var i = 0; i < 2; i++)
            {
                sum[i] += x[i];
                for (var j = 0; j < 2; j++) squares[i * 2 + j] += x[i] * x[j];
            }
        }
        for (var i = 0; i < 2; i++)
        {
            // Standard error of a mean over 200,000 draws: sd/447, at most 0.0034 here; 0.015 is over four of them.
            Assert.Equal(mean[i], sum[i] / draws, 0.015);
            for (var j = 0; j < 2; j++)
                // A covariance entry's standard error is about √(σᵢ²σⱼ² + σᵢⱼ²)/447 ≤ 0.0055; 0.025 is over four.
                Assert.Equal(covariance[i * 2 + j], squares[i * 2 + j] / draws - sum[i] / draws * sum[j] / draws, 0.025);
        }
    }

    [Fact]
    public void APrecisionThatIsNotPositiveDefinite_IsRefusedNamingTheNodes()
    {
        var random = new RandomStream(1, 0);
        var error = Assert.Throws<InvalidDataException>(() => GaussianBlock.Draw("alpha, beta", new double[] { 1, 2, 2, 1 }, new double[2], new double[2], ref random));
        Assert.Contains("alpha, beta", error.Message);
        Assert.Contains("not positive definite", error.Message);
    }
}
