using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>
/// A fitted node's entries, row-major over its plates: the estimate (a parameter's value, a latent's posterior
/// mean) and, where the engine drew samples, their sd, the Monte Carlo standard error of the mean, 5 % and 95 %
/// quantiles, bulk and tail effective sample sizes and rank-normalised split R-hat (<see cref="ChainStatistics"/>).
/// </summary>
public sealed record NodeSummary(NodeDescriptor Node, int[] Shape, double[] Mean, double[]? Sd, double[]? Mcse, double[]? Q5, double[]? Q95,
    double[]? EssBulk, double[]? EssTail, double[]? RHat)
{
    public bool HasDraws => Sd is not null;

    /// <summary>
    /// Every parameter's stored value as a point estimate, with no spread (EM and VI do not sample parameters); a
    /// parameter no observation depends on has no estimate (it keeps its starting value), so it is left out.
    /// </summary>
    public static IEnumerable<NodeSummary> PointEstimates(IDeclaredModel model)
    {
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Param && n.Informed))
        {
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape.Aggregate(1, (a, b) => checked(a * b))];
            if (!model.TryRead(node.Name, values)) throw new InvalidOperationException($"parameter '{node.Name}' has no stored value");
            yield return new NodeSummary(node, shape, values, null, null, null, null, null, null, null);
        }
    }
}

/// <summary>
/// The objective of a fit over its steps (EM iterations, epochs): one row per step, its number first, then
/// <see cref="Columns"/>; written as history.csv.
/// </summary>
public sealed record FitHistory(string Step, IReadOnlyList<string> Columns, IReadOnlyList<double[]> Rows);

/// <summary>What a fit of a declared model produced, whatever engine ran it.</summary>
/// <param name="Outcome">how the run ended, in words ("converged", "reached --em-iters", "stopped early", ...)</param>
/// <param name="Settings">the engine's settings, for summary.json</param>
/// <param name="ResumedAfter">steps done before a resume, where the engine records it</param>
/// <param name="DrawsNote">what the draws are, for summary.json</param>
public sealed record DeclaredFit(
    string Engine, FitHistory History, string Outcome, int? ResumedAfter, IReadOnlyList<NodeSummary> Nodes, int Draws, string DrawsNote,
    IReadOnlyDictionary<string, object> Settings, double Seconds)
{
    /// <summary>Whether history.csv's first column is an objective the run maximised (EM, VI); a sampler's is not.</summary>
    public bool HasObjective { get; init; } = true;

    /// <summary>The recorded draws themselves, for draws.csv on request.</summary>
    public PosteriorDraws? Recorded { get; init; }

    /// <summary>
    /// Dense per-entry outputs: each network node's output at the latents' posterior means (a VAE's decoded, denoised
    /// expression), and each observation's expected value at the estimates where some of its entries are missing (the
    /// model's imputation). Written as nodes/NAME.csv, not into summary.csv, which they would swamp (a value per cell and gene).
    /// </summary>
    public IReadOnlyList<NodeSummary> DenseOutputs { get; init; } = [];
}
