using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Models;

/// <summary>
/// Fits any generated model, whatever engine claims it, with one call: binds the data to the nodes by name, chooses
/// the engine (the model's default, or <see cref="FitOptions.Method"/>), and runs it; every engine reports its steps
/// as <see cref="FitProgress"/> and returns a <see cref="DeclaredFit"/> (summaries of every node, history, settings).
/// `dsl fit model.cs` is this call plus files in and out.
/// </summary>
public static class ModelFitting
{
    /// <param name="data">the members of a data file (<see cref="JsonModelData"/>) or nodes' own files (<see cref="NodeFileReader"/>)</param>
    /// <param name="note">receives warnings: data members that name no node, and what each engine has to say about its fit</param>
    public static DeclaredFit Fit(IDeclaredModel model, IReadOnlyList<NodeValues> data, FitOptions options, IProgress<FitProgress>? progress = null,
        Action<string>? note = null)
    {
        DataBinder.Bind(model, data, data.FirstOrDefault()?.Source ?? "data", note ?? (_ => { }), options.PlateSizes);
        return Fit(model, options, progress, note);
    }

    /// <summary>A model whose data are already bound (its plate sizes set and its data stored).</summary>
    public static DeclaredFit Fit(IDeclaredModel model, FitOptions options, IProgress<FitProgress>? progress = null, Action<string>? note = null)
    {
        var engine = EngineFor(model.GetType(), options.Method);
        var (step, total) = Steps(engine, options);
        var report = progress ?? new Relay<FitProgress>(_ => { });
        if (engine == GibbsEmFit.Engine)
            return GibbsEmFit.Fit(model, options.GibbsEm, options.Checkpoint, new Relay<EmIteration>(e => report.Report(FitProgress.Of(e, step, total))));
        if (engine == PointEstimationFit.Engine)
            return PointEstimationFit.Fit(model, options.PointEstimation, options.Checkpoint,
                new Relay<(int Iteration, double LogLikelihood)>(i => report.Report(FitProgress.OfOptimiser(step, i.Iteration, total, i.LogLikelihood))), note);
        var sampled = new Relay<int>(i => report.Report(FitProgress.OfSampler(step, i, options.Sampling.Warmup, total)));
        if (engine == ConjugateGibbsFit.Engine) return ConjugateGibbsFit.Fit(model, options.Sampling, sampled, note);
        if (engine == SamplingFit.Engine) return SamplingFit.Fit(model, options.Sampling, sampled, note, options.Checkpoint);
        return VariationalFit.Fit(model, options.Variational, options.VariationalDraws, options.Checkpoint,
            new Relay<Variational.EpochRecord>(e => report.Report(FitProgress.Of(e, step, total))), note);
    }

    /// <summary>What an engine counts as a step, and how many it will take at most: what a progress display needs before the first.</summary>
    public static (string Step, int Total) Steps(string engine, FitOptions options) =>
        engine == GibbsEmFit.Engine ? ("EM iteration", options.GibbsEm.MaxIterations)
        : engine == PointEstimationFit.Engine ? options.PointEstimation.Progress
        : engine == ConjugateGibbsFit.Engine ? ("sweep", options.Sampling.Warmup + options.Sampling.Samples)
        : engine == SamplingFit.Engine ? ("iteration", options.Sampling.Warmup + options.Sampling.Samples)
        : ("epoch", options.Variational.Epochs);

    /// <summary>The engine a method names, or the model's default; a model none of whose engines applies is refused, naming those that do.</summary>
    public static string EngineFor(Type model, string? method)
    {
        var engines = FitEngines.Of(model);
        if (engines.Count == 0) throw new ArgumentException($"{model.Name} has no generated inference: no engine's rules cover it (dsl check on its declaration says which node stops it)");
        if (method is null) return engines[0];
        var engine = FitEngines.OfMethod(method) ?? throw new ArgumentException($"unknown method '{method}'; use {string.Join(", ", FitEngines.MethodNames)}");
        return engines.Contains(engine) ? engine
            : throw new ArgumentException($"{model.Name} is fitted by {string.Join(" or ", engines.Select(e => $"{e} ({FitEngines.MethodOf(e)})"))}, not by {engine}");
    }

    /// <summary>Reports synchronously on the fitting thread (System.Progress would post to a thread pool and reorder steps).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
