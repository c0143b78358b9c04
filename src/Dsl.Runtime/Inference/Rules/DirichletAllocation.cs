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
    /// One sweep for one mixing vector. <paramref name="profiles"/> is rows x K (row i: F_i.).
    /// <paramref name="allocation"/> receives z (rows x K; zero for rows with x_i = 0).
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
        for (var i = 0; i < rows; i++)
        {
            trials[i] = counts[i];
            for (var c = 0; c < k; c++) probabilities[i * k + c] = profiles[i * k + c] * mixing[c];
        }
        Multinomial.Sample(trials, probabilities, k, allocation[..(rows * k)], ref random);

        concentration.CopyTo(posterior);
        for (var i = 0; i < rows; i++)
        {
            for (var c = 0; c < k; c++) posterior[c] += allocation[i * k + c];
        }
        Dirichlet.SampleRow(posterior, mixing, ref random);
    }
}
