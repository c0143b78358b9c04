using Dsl.Cli.Progress;
using Dsl.Cli.Ursm;
using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>`dsl fit model.cs --data FILE --out DIR`: compile, bind the data by node name, fit with the engine the planner chose, write.</summary>
public static class DeclaredFitRunner
{
    public static int Run(string modelPath, string? modelName, string? dataPath, GibbsEmOptions options, OutputFolder folder, bool resume, bool force,
        TextWriter output, TextWriter error, ProgressMode mode)
    {
        if (dataPath is null) throw new CliException($"fit {Path.GetFileName(modelPath)} needs --data FILE: a JSON object with a member per data and observed node (CmdStan's format)");
        using var loaded = DeclaredModelLoader.Load(modelPath, modelName, error);
        if (loaded.Engine != GibbsEmFit.Engine)
        {
            throw new CliException(loaded.Engine is null
                ? $"{modelPath}: {loaded.Verdict}"
                : $"{modelPath}: model {loaded.Name} is fitted by {loaded.Engine}, which `dsl fit model.cs` does not run yet; the bundled scVI declarations fit with `dsl fit scvi`");
        }
        var model = loaded.Create();
        var members = JsonModelData.Read(dataPath);
        DataBinder.Bind(model, members, dataPath, error.WriteLine);
        var plates = model.Descriptor.Plates.ToDictionary(p => p, model.GetPlateSize);
        var fingerprint = Fingerprint(members);
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), resume, fingerprint, force);
        output.WriteLine($"fitting {loaded.Name} by {GibbsEmFit.Engine}: {string.Join(", ", plates.Select(p => $"{p.Key} {p.Value}"))}; checkpoint {checkpoint.Path}");
        DeclaredFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, "EM iteration", options.MaxIterations);
            fit = GibbsEmFit.Fit(model, options, checkpoint, new EmIterationReporter(line));
        }
        catch (ArgumentException e) { throw new CliException($"{dataPath}: {e.Message}"); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        DeclaredOutputWriter.Write(folder, loaded, fit, options, dataPath, fingerprint, plates);
        folder.Commit();
        output.WriteLine($"{fit.Run.Iterations.Count} EM iterations{(fit.Run.Converged ? " (converged)" : "")}, {fit.Draws} draws of the latents, {fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }

    /// <summary>The data file's members (names, shapes, values), in file order.</summary>
    private static string Fingerprint(IReadOnlyList<NodeValues> members)
    {
        using var fingerprint = new DataFingerprint();
        foreach (var member in members) fingerprint.Add(member.Member, member.Shape, member.Values);
        return fingerprint.Finish();
    }
}
