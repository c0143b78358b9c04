using Dsl.Runtime.Inference.Rules;

namespace Dsl.Runtime.Conjugate;

/// <summary>
/// One row of binary switches gathered for <see cref="NormalisedWeightEnumeration.Sweep"/>: each entry's weight, count,
/// prior logit and current state, and the scan's workspace. An exact Gibbs sampler keeps one per switch latent and
/// refills it row by row, so a sweep allocates nothing.
/// </summary>
public sealed class SwitchRow(int entries)
{
    public double[] Weights { get; } = new double[entries];
    public int[] Counts { get; } = new int[entries];
    public double[] Logits { get; } = new double[entries];
    public byte[] States { get; } = new byte[entries];
    public double[] Workspace { get; } = new double[NormalisedWeightEnumeration.WorkspaceDoubles(entries)];
}
