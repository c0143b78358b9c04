using Dsl.Cli.Progress;
using Dsl.Cli.Ursm;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>`dsl fit model.cs --data FILE --out DIR`: compile, bind the data by node name, fit with the engine the planner chose, write.</summary>
public static class DeclaredFitRunner
{
    /// <param name="data">the --data arguments: JSON files and NODE=FILE bindings</param>
    /// <param name="plateSizes">--plate NAME=SIZE, for plates no data spans</param>
    public static int Run(string modelPath, string? modelName, IReadOnlyList<string> data, IReadOnlyList<string> plateSizes, GibbsEmOptions options, OutputFolder folder,
        bool resume, bool force, TextWriter output, TextWriter error, ProgressMode mode)
    {
        if (data.Count == 0)
            throw new CliException($"fit {Path.GetFileName(modelPath)} needs --data: a JSON file with a member per data and observed node (CmdStan's format), or NODE=FILE per node");
        using var loaded = DeclaredModelLoader.Load(modelPath, modelName, error);
        if (loaded.Engine != GibbsEmFit.Engine)
        {
            throw new CliException(loaded.Engine is null
                ? $"{modelPath}: {loaded.Verdict}"
                : $"{modelPath}: model {loaded.Name} is fitted by {loaded.Engine}, which `dsl fit model.cs` does not run yet; the bundled scVI declarations fit with `dsl fit scvi`");
        }
        var model = loaded.Create();
        var members = DataArguments.Read(data, model.Descriptor);
        var bound = DataBinder.Bind(model, members, data[0], error.WriteLine, AssignmentArguments.PlateSizes(plateSizes, model.Descriptor));
        var plates = model.Descriptor.Plates.ToDictionary(p => p, model.GetPlateSize);
        var fingerprint = DataArguments.Fingerprint(members);
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), resume, fingerprint, force);
        output.WriteLine($"fitting {loaded.Name} by {GibbsEmFit.Engine}: {string.Join(", ", plates.Select(p => $"{p.Key} {p.Value}"))}; checkpoint {checkpoint.Path}");
        DeclaredFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, "EM iteration", options.MaxIterations);
            fit = GibbsEmFit.Fit(model, options, checkpoint, new EmIterationReporter(line));
        }
        catch (ArgumentException e) { throw new CliException($"{string.Join(", ", data)}: {e.Message}"); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        DeclaredOutputWriter.Write(folder, loaded, fit, options, data, fingerprint, plates, bound.Labels, loaded.Graph);
        folder.Commit();
        output.WriteLine($"{fit.Run.Iterations.Count} EM iterations{(fit.Run.Converged ? " (converged)" : "")}, {fit.Draws} draws of the latents, {fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }
}
