using Dsl.Cli.Progress;
using Dsl.Runtime.Data;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Declared;

/// <summary>What `dsl fit model.cs` was asked for: the model, its data, and each engine's settings (the chosen one is used).</summary>
/// <param name="RefuseOtherEngines">refuses, naming the chosen engine, the options given for another engine</param>
public sealed record DeclaredFitRequest(
    string ModelPath, string? ModelName, IReadOnlyList<string> Data, IReadOnlyList<string> Plates, bool Resume, bool Force,
    Func<GibbsEmOptions> Gibbs, Func<VariationalOptions> Variational, Func<NutsOptions> Nuts, int Draws, Action<string> RefuseOtherEngines)
{
    /// <summary>The settings of the chosen engine (built only for it: another engine's option was refused before).</summary>
    public FitOptions Options(string engine) =>
        engine == GibbsEmFit.Engine ? new FitOptions { GibbsEm = Gibbs() }
        : engine == PointEstimationFit.Engine ? new FitOptions { PointEstimation = PointEstimation() }
        : engine == VariationalFit.Engine ? new FitOptions { Variational = Variational(), VariationalDraws = Draws }
        : new FitOptions { Sampling = Nuts() };

    /// <summary>Also write draws.csv (--save-draws).</summary>
    public bool SaveDraws { get; init; }

    /// <summary>--method: the engine to fit with where the generator emitted several (null: the default).</summary>
    public string? Method { get; init; }

    /// <summary>--with: declaration files compiled beside the model's (the bases its model extends).</summary>
    public IReadOnlyList<string> With { get; init; } = [];

    /// <summary>Maximum likelihood's settings (a model of parameters only).</summary>
    public Func<Runtime.Optimisation.PointEstimationOptions> PointEstimation { get; init; } = () => new();
}

/// <summary>`dsl fit model.cs --data ... --out DIR`: compile, bind the data by node name, fit with the engine the planner chose, write.</summary>
public static class DeclaredFitRunner
{
    public static int Run(DeclaredFitRequest request, OutputFolder folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var modelPath = request.ModelPath;
        if (request.Data.Count == 0)
            throw new CliException($"fit {Path.GetFileName(modelPath)} needs --data: a JSON file with a member per data and observed node (CmdStan's format), or NODE=FILE per node");
        using var loaded = DeclaredModelLoader.Load(modelPath, request.ModelName, error, request.With);
        var engine = loaded.EngineFor(request.Method) ?? throw new CliException($"{modelPath}: {loaded.Verdict}");
        request.RefuseOtherEngines(engine);
        var model = loaded.Create();
        var members = DataArguments.Read(request.Data, model.Descriptor);
        foreach (var binding in members.Select(m => m.Binding).OfType<string>()) output.WriteLine(binding);
        var bound = DataBinder.Bind(model, members, request.Data[0], error.WriteLine, AssignmentArguments.PlateSizes(request.Plates, model.Descriptor));
        var plates = model.Descriptor.Plates.ToDictionary(p => p, model.GetPlateSize);
        var fingerprint = DataArguments.Fingerprint(members);
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), request.Resume, fingerprint, request.Force);
        var kept = engine == ConjugateGibbsFit.Engine ? "no checkpoint (sweeps are cheap)" : $"checkpoint {checkpoint.Path}";
        output.WriteLine($"fitting {loaded.Name} by {engine}: {string.Join(", ", plates.Select(p => $"{p.Key} {p.Value}"))}; {kept}");
        // A sweep is cheap and a fit takes seconds: exact Gibbs keeps no checkpoint to resume from.
        if (request.Resume && engine == ConjugateGibbsFit.Engine) throw new CliException($"--resume: {engine} keeps no checkpoint (its fits take seconds); run the fit again without --resume");
        var options = request.Options(engine) with { Method = FitEngines.MethodOf(engine), Checkpoint = checkpoint };
        var (step, total) = ModelFitting.Steps(engine, options);
        DeclaredFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, step, total);
            fit = ModelFitting.Fit(model, options, new ProgressReporter(line), line.Note);
        }
        catch (ArgumentException e) { throw new CliException($"{string.Join(", ", request.Data)}: {e.Message}"); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        DeclaredOutputWriter.Write(folder, loaded, fit, request.Data, fingerprint, plates, bound.Labels, loaded.Graph, request.SaveDraws);
        folder.Commit();
        output.WriteLine($"{fit.History.Rows.Count} {fit.History.Step}s ({fit.Outcome}), {(fit.Draws > 0 || engine != PointEstimationFit.Engine ? $"{fit.Draws} draws of the latents, " : "")}{fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }
}
