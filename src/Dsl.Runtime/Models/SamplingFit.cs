using System.Diagnostics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Models;

/// <summary>
/// NUTS for any declared model whose latents the generator can sample by gradients: independent chains side by side
/// (chain c draws from random stream (seed, c), so the draws do not depend on the thread count), then every latent
/// and every deterministic node the model can evaluate summarised over all chains (rank-normalised R-hat, bulk and
/// tail ESS). A history row per chain reports its step size, divergences, tree-depth hits and gradient evaluations.
/// A model with parameters gets their point estimates first (<see cref="ParameterEstimation"/>), and the chains then
/// sample the latents at them.
/// </summary>
public static class SamplingFit
{
    public const string Engine = "NUTS";

    /// <summary>The seed offset of the parameter-estimation chain, so its streams are not those of chain 0.</summary>
    private const ulong ParameterStreams = 0x5AE0_0000_0000UL;

    /// <summary>The seed offset of the draws of summed-out discrete latents.</summary>
    private const ulong SummedStreams = 0x5E3D_0000_0000UL;

    /// <summary>Stochastic-approximation EM needs a few hundred steps to settle even when the warm-up is short.</summary>
    private const int MinimumParameterIterations = 200;

    /// <summary>Checkpoints are written at most this often (and when the chains finish), so saving the draws stays cheap.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(20);

    /// <summary>The chains advance side by side in this many chunks; a checkpoint can fall between any two.</summary>
    private const int Chunks = 50;

    public static DeclaredFit Fit(IDeclaredModel model, NutsOptions options, IProgress<int>? progress, Action<string>? warn, CheckpointPlan? checkpoint = null)
    {
        if (model is not ISampledModel sampled) throw new InvalidOperationException($"{model.Descriptor.Name} has no sampling plan");
        var clock = Stopwatch.StartNew();
        checkpoint?.RequireWritable();
        var posteriors = Enumerable.Range(0, options.Chains).Select(_ => sampled.CreatePosterior()).ToArray();
        var parameters = posteriors[0].Parameters;
        var chains = new NutsChain[options.Chains];
        double[]? parameterTrace;
        if (checkpoint is { Resume: true })
        {
            parameterTrace = SamplingCheckpoint.Load(checkpoint, options, model, parameters, c => new NutsChain(posteriors[c], options, c), chains);
        }
        else
        {
            // Parameters first (stochastic-approximation EM on one chain, as long as a warm-up), then the latents' chains at
            // them, started near that chain's last draw.
            var (trace, last) = parameters.Count == 0 ? (null, null)
                : ParameterEstimation.Run(model, posteriors[0], options with { Seed = options.Seed ^ ParameterStreams }, Math.Max(options.Warmup, MinimumParameterIterations), progress);
            parameterTrace = trace;
            ChainDiagnostics.InParallel(options.Chains, options.Threads, chain => chains[chain] = new NutsChain(posteriors[chain], options, chain, last));
        }
        var slowest = progress is null ? null : new SlowestChain(chains.Select(c => c.Iteration).ToArray(), progress);
        var chunk = Math.Max(1, (options.Warmup + options.Samples + Chunks - 1) / Chunks);
        var saved = clock.Elapsed;
        while (chains.Any(c => !c.Done))
        {
            ChainDiagnostics.InParallel(options.Chains, options.Threads, chain => chains[chain].Advance(chunk, slowest?.For(chain)));
            if (checkpoint is null || chains.Any(c => !c.Done) && clock.Elapsed - saved < CheckpointInterval) continue;
            SamplingCheckpoint.Save(checkpoint, options, model, parameters, parameterTrace, chains);
            saved = clock.Elapsed;
        }
        var runs = chains.Select(c => c.Result()).ToArray();
        var sampling = clock.Elapsed.TotalSeconds;

        var reader = posteriors[0];
        var position = new double[reader.Dimension];
        // Summed-out discrete latents are drawn at each kept draw from a stream of their own per chain.
        var random = new RandomStream(options.Seed ^ SummedStreams, 0);
        var draws = new PosteriorDraws(model, options.Chains * options.Samples, (name, destination) => reader.TryReadLatent(position, name, destination, ref random),
            chains: options.Chains);
        for (var chain = 0; chain < runs.Length; chain++)
        {
            random = new RandomStream(options.Seed ^ SummedStreams, (ulong)chain);
            for (var s = 0; s < runs[chain].Samples; s++)
            {
                runs[chain].Draw(s).CopyTo(position);
                draws.Record();
            }
        }
        var aligned = draws.AlignLabels();
        var summaries = NodeSummary.PointEstimates(model).Concat(draws.Summaries()).ToList();
        Warn(runs, summaries, options, warn);
        var history = new FitHistory("chain", ["step_size", "divergences", "max_treedepth_hits", "mean_accept_stat", "gradients"],
            runs.Select((r, c) => new double[] { c + 1, r.StepSize, r.Divergences, r.MaxDepthHits, r.MeanAcceptance, r.Gradients }).ToList());
        var settings = new Dictionary<string, object>
        {
            ["chains"] = options.Chains, ["warmup"] = options.Warmup, ["samples"] = options.Samples, ["adapt_delta"] = options.TargetAcceptance,
            ["max_treedepth"] = options.MaxTreeDepth, ["seed"] = options.Seed, ["threads"] = options.Threads, ["sampling_seconds"] = sampling,
        };
        if (parameterTrace is not null)
        {
            settings["parameter_iterations"] = parameterTrace.Length;
            // The log joint at the last quarter of the parameter chain's draws: it levels off once the estimates have settled.
            settings["parameter_trace_log_joint_last_quarter_mean"] = parameterTrace.Skip(parameterTrace.Length * 3 / 4).Average();
        }
        var divergences = runs.Sum(r => r.Divergences);
        return new DeclaredFit(Engine, history, divergences == 0 ? "sampled" : $"sampled with {divergences} divergent transitions", null,
            summaries, draws.Recorded,
            $"latents and deterministic nodes: {options.Samples} draws from each of {options.Chains} NUTS chains after {options.Warmup} warm-up iterations" +
            (parameterTrace is null ? "" : $"; parameters: stochastic-approximation EM point estimates over {parameterTrace.Length} iterations of one chain (no sd or interval)") + aligned + draws.MomentsNote,
            settings, clock.Elapsed.TotalSeconds) { HasObjective = false, Recorded = draws };
    }

    /// <summary>Stan's advice, as one line each: divergences, saturated trees, R-hat above 1.01 and ESS below 400.</summary>
    private static void Warn(ChainRun[] runs, IReadOnlyList<NodeSummary> summaries, NutsOptions options, Action<string>? warn)
    {
        if (warn is null) return;
        var divergences = runs.Sum(r => r.Divergences);
        if (divergences > 0)
            warn($"{divergences} of {runs.Sum(r => r.Samples)} transitions after warm-up diverged: the posterior has regions the step size cannot follow; reparameterise (e.g. non-centred) or raise adapt_delta");
        var saturated = runs.Sum(r => r.MaxDepthHits);
        if (saturated > 0) warn($"{saturated} transitions reached the maximum tree depth {options.MaxTreeDepth}: the sampler's trajectories were cut short, so mixing may be slow");
        ChainDiagnostics.WarnUnconverged(summaries, warn);
    }
}
