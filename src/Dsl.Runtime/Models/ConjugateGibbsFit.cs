using System.Diagnostics;
using Dsl.Runtime.Conjugate;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Models;

/// <summary>
/// Exact Gibbs for any declared model whose every latent has a catalogue entry: independent chains side by side, each
/// started at its own draw from the prior (ancestral simulation, so the chains start overdispersed; a latent with a
/// flat prior from Stan's Uniform(−2, 2) initialisation) and then swept
/// warm-up + samples times from random stream (seed, chain), so the draws do not depend on the thread count. The
/// kept sweeps are summarised as NUTS's draws are (rank-normalised R-hat, bulk and tail ESS).
/// </summary>
public static class ConjugateGibbsFit
{
    public const string Engine = "exact Gibbs";

    /// <summary>The seed offset of the chains' starting draws, so they are not the sweeps' streams.</summary>
    private const ulong StartStreams = 0xC0_1700_0000_0000UL;

    /// <summary>Progress is reported every this many sweeps of the slowest chain.</summary>
    private const int ReportEvery = 50;

    public static DeclaredFit Fit(IDeclaredModel model, NutsOptions options, IProgress<int>? progress, Action<string>? warn)
    {
        if (model is not IConjugateModel conjugate) throw new InvalidOperationException($"{model.Descriptor.Name} has no exact Gibbs plan");
        var clock = Stopwatch.StartNew();
        var first = conjugate.CreateSweep();
        var sweeps = Enumerable.Range(0, options.Chains).Select(c => c == 0 ? first : conjugate.CreateSweep(first)).ToArray();
        var latents = sweeps[0].Latents;
        var offsets = new Dictionary<string, (int Start, int Length)>(StringComparer.Ordinal);
        var width = 0;
        foreach (var latent in latents)
        {
            offsets[latent] = (width, model.EntriesOf(latent));
            width += offsets[latent].Length;
        }
        var kept = new double[options.Chains][];
        var slowest = progress is null ? null : new SlowestChain(new int[options.Chains], progress);
        ChainDiagnostics.InParallel(options.Chains, options.Threads, chain =>
        {
            var sweep = sweeps[chain];
            var start = model.Simulate((options.Seed ^ StartStreams) + (ulong)chain, new SimulationSettings { ImproperAsStarts = true });
            foreach (var latent in latents) sweep.TrySetLatent(latent, start[latent]);
            var draws = kept[chain] = new double[options.Samples * width];
            var random = new RandomStream(options.Seed, (ulong)chain);
            var report = slowest?.For(chain);
            var total = options.Warmup + options.Samples;
            for (var iteration = 0; iteration < total; iteration++)
            {
                sweep.Sweep(ref random, warmup: iteration < options.Warmup);
                if (iteration >= options.Warmup)
                    foreach (var latent in latents)
                        sweep.TryReadLatent(latent, draws.AsSpan((iteration - options.Warmup) * width + offsets[latent].Start, offsets[latent].Length));
                if ((iteration + 1) % ReportEvery == 0 || iteration + 1 == total) report?.Report(iteration + 1);
            }
        });
        var sampling = clock.Elapsed.TotalSeconds;

        var (recordedChain, recordedSample) = (0, 0);
        var recorder = new PosteriorDraws(model, options.Chains * options.Samples, (name, destination) =>
        {
            if (!offsets.TryGetValue(name, out var at)) return false;
            kept[recordedChain].AsSpan(recordedSample * width + at.Start, at.Length).CopyTo(destination);
            return true;
        }, chains: options.Chains);
        for (recordedChain = 0; recordedChain < options.Chains; recordedChain++)
            for (recordedSample = 0; recordedSample < options.Samples; recordedSample++) recorder.Record();
        var aligned = recorder.AlignLabels();
        var summaries = recorder.Summaries().ToList();
        if (warn is not null) ChainDiagnostics.WarnUnconverged(summaries, warn);
        var history = new FitHistory("chain", ["sweeps"], Enumerable.Range(0, options.Chains).Select(c => new double[] { c + 1, options.Warmup + options.Samples }).ToList());
        var settings = new Dictionary<string, object>
        {
            ["chains"] = options.Chains, ["warmup"] = options.Warmup, ["samples"] = options.Samples, ["seed"] = options.Seed, ["threads"] = options.Threads,
            ["sampling_seconds"] = sampling,
        };
        return new DeclaredFit(Engine, history, "sampled", null, summaries, recorder.Recorded,
            $"latents and deterministic nodes: {options.Samples} sweeps from each of {options.Chains} exact Gibbs chains after {options.Warmup} warm-up sweeps" + aligned + recorder.MomentsNote,
            settings, clock.Elapsed.TotalSeconds) { HasObjective = false, Recorded = recorder };
    }
}
