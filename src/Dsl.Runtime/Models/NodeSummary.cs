using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>
/// A fitted node's entries, row-major over its plates: the estimate (a parameter's value, a latent's posterior
/// mean) and, where the engine drew samples, their sd, 5 % and 95 % quantiles, effective sample size and split R-hat.
/// </summary>
public sealed record NodeSummary(NodeDescriptor Node, int[] Shape, double[] Mean, double[]? Sd, double[]? Q5, double[]? Q95, double[]? Ess, double[]? RHat)
{
    public bool HasDraws => Sd is not null;
}
