using System.Numerics.Tensors;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// A Dirichlet-distributed mixing vector w (K entries) whose counts x_i ~ Multinomial(R, F w) mix K profiles F_.k
/// (URSM's bulk samples, eq 3.1-3.3; LDA with a fixed topic matrix). Allocation counts z_i ~ Multinomial(x_i, F_i. * w)
/// split each count among the K components without ever materialising single reads; w | z ~ Dirichlet(alpha + sum_i z_i)
/// needs only their totals, which are drawn without the rows (<see cref="MultinomialTotals"/>).
/// <para>
/// The M-step needs E[z_ik] under the posterior. It is estimated by its conditional expectation given w,
/// x_i F_ik w_k / sum_c F_ic w_c, averaged over the recorded sweeps (Rao-Blackwell): the same mean as averaging drawn
/// allocations, with less variance, and no per-row draws.
/// </para>
/// </summary>
public static class DirichletAllocation
{
    /// <summary>Doubles of workspace <see cref="Sweep"/> needs.</summary>
    public static int WorkspaceDoubles(int rows, int components) => rows * components + 2 * components;

    /// <summary>Bytes of scratch <see cref="Sweep"/> needs.</summary>
    public static int ScratchBytes(int components) => MultinomialTotals.ScratchBytes(components);

    /// <summary>
    /// One sweep for one mixing vector. <paramref name="profiles"/> is K x rows, component-major (entry k * rows + i:
    /// F_ik). When <paramref name="expectedAllocation"/> is not empty (a recorded sweep), E[z | w] is added to it,
    /// laid out like the profiles. Returns log w, formed in log space (finite where w underflows), inside the workspace.
    /// </summary>
    public static ReadOnlySpan<double> Sweep(
        ReadOnlySpan<double> profiles, ReadOnlySpan<int> counts, ReadOnlySpan<double> concentration, Span<double> mixing,
        Span<double> expectedAllocation, Span<double> workspace, Span<byte> scratch, ref RandomStream random)
    {
        var k = mixing.Length;
        var rows = counts.Length;
        var shares = workspace[..(rows * k)];
        var posterior = workspace.Slice(rows * k, k);
        for (var c = 0; c < k; c++) TensorPrimitives.Multiply(profiles.Slice(c * rows, rows), mixing[c], shares.Slice(c * rows, rows));
        MultinomialTotals.Sample(shares, counts, k, posterior, expectedAllocation, scratch, ref random);
        for (var c = 0; c < k; c++) posterior[c] += concentration[c];
        var logMixing = workspace.Slice(rows * k + k, k);
        Dirichlet.SampleRow(posterior, mixing, logMixing, ref random);
        return logMixing;
    }
}
