using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Models;

/// <summary>What a fit of a declared model produced: the engine's run, every node's summary, and how long it took.</summary>
public sealed record DeclaredFit(string Engine, GibbsEmResult Run, IReadOnlyList<NodeSummary> Nodes, int Draws, double Seconds);

/// <summary>
/// Gibbs-EM for any declared model a Gibbs plan claims: the generic EM loop (point estimates of the parameters),
/// then one more E-step at the fitted parameters whose recorded sweeps are the draws of every latent that the
/// summary reports (mean, sd, quantiles, ESS, split R-hat). Its sweeps continue the run's sweep numbering, so the
/// same seed gives the same draws at any thread count and after any resume.
/// </summary>
public static class GibbsEmFit
{
    public const string Engine = "Gibbs-EM";

    public static DeclaredFit Fit(IDeclaredModel model, GibbsEmOptions options, CheckpointPlan? checkpoint, IProgress<EmIteration>? progress)
    {
        if (model is not IGibbsEmModel gibbs) throw new InvalidOperationException($"{model.Descriptor.Name} has no Gibbs-EM plan");
        var clock = Stopwatch.StartNew();
        var run = new GibbsEmDriver(options).Run(gibbs, checkpoint, progress);
        var draws = new PosteriorDraws(model, options.Samples);
        gibbs.ResetStatistics();
        var sweepsPerIteration = options.BurnIn + options.Samples;
        for (var s = 0; s < sweepsPerIteration; s++)
        {
            var record = s >= options.BurnIn;
            gibbs.Sweep(new SweepContext(options.Seed, (long)run.Iterations.Count * sweepsPerIteration + s, record, options.Threads));
            if (record) draws.Record();
        }
        var nodes = ParameterSummaries(model).Concat(draws.Summaries()).ToList();
        return new DeclaredFit(Engine, run, nodes, draws.Recorded, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Point estimates: a parameter's value, with no spread (EM does not sample parameters).</summary>
    public static IEnumerable<NodeSummary> ParameterSummaries(IDeclaredModel model)
    {
        foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == Graph.GraphNodeRole.Param))
        {
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new double[shape.Aggregate(1, (a, b) => checked(a * b))];
            if (!model.TryRead(node.Name, values)) throw new InvalidOperationException($"parameter '{node.Name}' has no stored value");
            yield return new NodeSummary(node, shape, values, null, null, null, null, null);
        }
    }
}
