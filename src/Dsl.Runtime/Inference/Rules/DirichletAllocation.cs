using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// A Dirichlet-distributed mixing vector w (K entries) whose counts x_i ~ Multinomial(R, F w) mix K profiles F_.k
/// (URSM's bulk samples, eq 3.1-3.3; LDA with a fixed topic matrix). Allocation counts z_i ~ Multinomial(x_i, F_i. * w)
/// split each count among the K components without ever materialising single reads; w | z ~ Dirichlet(alpha + sum_i z_i).
/// </summary>
public static class DirichletAllocation
{
    /// <summary>
    /// One sweep for one mixing vector. <paramref name="profiles"/> is rows x K (row i: F_i.); rows with x_i = 0 are
    /// skipped. <paramref name="allocation"/> receives z (rows x K) for the rows drawn and zero elsewhere.
    /// <paramref name="workspace"/> holds at least rows*(K + 1) + K doubles.
    /// </summary>
    public static void Sweep(
        ReadOnlySpan<double> profiles, ReadOnlySpan<int> counts, ReadOnlySpan<double> concentration, Span<double> mixing,
        Span<double> allocation, Span<double> workspace, ref RandomStream random)
    {
        var k = mixing.Length;
        var rows = counts.Length;
        var trials = workspace[..rows];
        var probabilities = workspace.Slice(rows, rows * k);
        var posterior = workspace.Slice(rows + rows * k, k);
        var drawn = 0;
        for (var i = 0; i < rows; i++)
        {
            if (counts[i] == 0) continue;
            trials[drawn] = counts[i];
            var target = probabilities.Slice(drawn * k, k);
            for (var c = 0; c < k; c++) target[c] = profiles[i * k + c] * mixing[c];
            drawn++;
        }
        var draws = allocation[..(drawn * k)];
        Multinomial.Sample(trials[..drawn], probabilities[..(drawn * k)], k, draws, ref random);

        // Scatter the compacted draws back to their rows, from the last row down so nothing is overwritten early.
        concentration.CopyTo(posterior);
        var row = drawn;
        for (var i = rows - 1; i >= 0; i--)
        {
            var target = allocation.Slice(i * k, k);
            if (counts[i] == 0)
            {
                target.Clear();
                continue;
            }
            row--;
            allocation.Slice(row * k, k).CopyTo(target);
            for (var c = 0; c < k; c++) posterior[c] += target[c];
        }
        Dirichlet.SampleRow(posterior, mixing, ref random);
    }
}
