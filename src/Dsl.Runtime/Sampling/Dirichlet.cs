using System.Buffers;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// Dirichlet rows: row r of <c>alpha</c> (rows x K, row-major) gives row r of the draw. Each row normalises K
/// log-gamma draws by log-sum-exp. The vector path puts four rows in four lanes and walks the K components.
/// </summary>
public static class Dirichlet
{
    /// <summary>
    /// A draw and its logarithm, the latter formed in log space: an entry too small for a double (tiny concentrations
    /// on data that leave a component nothing) is 0 in <paramref name="destination"/> but finite in
    /// <paramref name="logDestination"/>, so a Dirichlet's sufficient statistic E[log w] never becomes -infinity.
    /// The two spans may be the same (then it holds the draw).
    /// </summary>
    public static void SampleRow(ReadOnlySpan<double> alpha, Span<double> destination, Span<double> logDestination, ref RandomStream random)
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < alpha.Length; k++)
        {
            logDestination[k] = Gamma.SampleLog(alpha[k], ref random);
            max = Math.Max(max, logDestination[k]);
        }
        var sum = 0.0;
        for (var k = 0; k < alpha.Length; k++) sum += Math.Exp(logDestination[k] - max);
        var logNormaliser = max + Math.Log(sum);
        for (var k = 0; k < alpha.Length; k++)
        {
            var log = logDestination[k] - logNormaliser;
            logDestination[k] = log;
            destination[k] = Math.Exp(log);
        }
    }

    public static void SampleRow(ReadOnlySpan<double> alpha, Span<double> destination, ref RandomStream random) =>
        SampleRow(alpha, destination, destination, ref random);

    public static void Sample(ReadOnlySpan<double> alpha, int k, Span<double> destination, ref RandomStream random)
    {
        if (k <= 0 || alpha.Length % k != 0) throw new ArgumentException($"alpha holds {alpha.Length} values, not rows of {k}", nameof(alpha));
        var rows = alpha.Length / k;
        var scratch = ArrayPool<double>.Shared.Rent(4 * k);
        try
        {
            var r = 0;
            for (; r + 4 <= rows; r += 4) SampleFourRows(alpha.Slice(r * k, 4 * k), k, destination.Slice(r * k, 4 * k), scratch, ref random);
            for (; r < rows; r++) SampleRow(alpha.Slice(r * k, k), destination.Slice(r * k, k), ref random);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    private static void SampleFourRows(ReadOnlySpan<double> alpha, int k, Span<double> destination, double[] scratch, ref RandomStream random)
    {
        var max = Vector256.Create(double.NegativeInfinity);
        for (var j = 0; j < k; j++)
        {
            var shapes = Vector256.Create(alpha[j], alpha[k + j], alpha[2 * k + j], alpha[3 * k + j]);
            var logs = Gamma.SampleLog(shapes, ref random);
            logs.CopyTo(scratch.AsSpan(4 * j));
            max = Vector256.Max(max, logs);
        }
        var sum = Vector256<double>.Zero;
        for (var j = 0; j < k; j++)
        {
            var e = Vector256.Exp(Vector256.Create<double>(scratch.AsSpan(4 * j)) - max);
            e.CopyTo(scratch.AsSpan(4 * j));
            sum += e;
        }
        var inverse = Vector256<double>.One / sum;
        for (var j = 0; j < k; j++)
        {
            var p = Vector256.Create<double>(scratch.AsSpan(4 * j)) * inverse;
            for (var lane = 0; lane < 4; lane++) destination[lane * k + j] = p[lane];
        }
    }
}
