using Dsl.Compiler;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>A model file compiled in-process and one of its [PlateModel] classes, ready to instantiate.</summary>
/// <param name="with">the further declaration files compiled beside it</param>
public sealed class LoadedModel(CompiledModels compiled, Type type, string path, IReadOnlyList<string> with) : IDisposable
{
    public string Path { get; } = path;
    public Type Type { get; } = type;
    public string Name => Type.Name;

    /// <summary>The default engine among those whose code the generator emitted for it, or null.</summary>
    public string? Engine => FitEngines.Of(Type).FirstOrDefault();

    /// <summary>
    /// The engine `--method` names, or the default without one; a method the generator emitted no code for is refused,
    /// naming those it did.
    /// </summary>
    public string? EngineFor(string? method)
    {
        if (method is null) return Engine;
        var engine = FitEngines.OfMethod(method)
            ?? throw new CliException($"--method {method}: unknown method; use {string.Join(", ", FitEngines.MethodNames)}");
        var engines = FitEngines.Of(Type);
        if (!engines.Contains(engine))
            throw new CliException(engines.Count == 0
                ? $"{Path}: --method {method}: {Verdict}"
                : $"{Path}: --method {method}: model {Name} is fitted by {string.Join(" or ", engines.Select(e => $"{e} (--method {FitEngines.MethodOf(e)})"))}, not by {engine}; " +
                    (DeclaredPlans.Refusal([Path, .. with], Name, engine) ?? $"`dsl check {Path} --plan` says why"));
        return engine;
    }

    /// <summary>`dsl check`'s line for this model: its engine, or the warning that says which node stops it.</summary>
    public string Verdict => FitVerdict.Lines(compiled).First(l => l.StartsWith($"model {Name}:", StringComparison.Ordinal));

    public IDeclaredModel Create() => (IDeclaredModel)Activator.CreateInstance(Type)!;

    /// <summary>The generated plate diagram (the static Graph every valid model has).</summary>
    public Runtime.Graph.ModelGraph Graph => BundledModels.GraphOf(Type);

    public void Dispose() => compiled.Dispose();
}

/// <summary>
/// `dsl fit model.cs` and `dsl simulate model.cs`: compiles the file with the generator, prints its warnings, refuses
/// it with the compiler's errors, and picks the model (--model where the file declares several).
/// </summary>
public static class DeclaredModelLoader
{
    public static bool IsModelFile(string argument) => argument.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);

    /// <param name="with">further declaration files compiled beside it (the bases its models extend); the model is one of the file's own</param>
    public static LoadedModel Load(string path, string? modelName, TextWriter error, IReadOnlyList<string>? with = null)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: file not found; pass the path of a model .cs file");
        foreach (var other in with ?? [])
            if (!File.Exists(other)) throw new CliException($"--with {other}: file not found; pass the path of the .cs file declaring the base model");
        var own = Generators.ModelPipeline.FindModels(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot())
            .Select(c => c.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
        var compiled = ModelCompiler.Compile([path, .. with ?? []]);
        // Warnings about the file's other models are theirs, not the run's: they are printed only where no model is chosen.
        void Print(string? chosen)
        {
            foreach (var message in compiled.Messages.Where(m => m.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning))
                if (chosen is null || message.IsError || !message.Message.StartsWith("Model '", StringComparison.Ordinal) ||
                    message.Message.StartsWith($"Model '{chosen}'", StringComparison.Ordinal))
                    error.WriteLine(message);
        }
        try
        {
            var errors = compiled.Messages.Count(m => m.IsError);
            var types = compiled.ModelTypes.Where(t => own.Contains(t.Name)).ToList();
            if (modelName is not null) types = types.Where(t => t.Name == modelName).ToList();
            Print(compiled.Succeeded && types.Count == 1 ? types[0].Name : null);
            if (!compiled.Succeeded)
                throw new CliException($"{path}: the model does not compile ({errors} error(s) above); `dsl check {path}` shows them with their fixes");
            if (types.Count == 0)
                throw new CliException(modelName is null
                    ? $"{path}: no [PlateModel] class; declare one (see docs/fitting-your-model.md)"
                    : $"{path}: no [PlateModel] class named '{modelName}'; it declares {string.Join(", ", compiled.ModelTypes.Select(t => t.Name))}");
            if (types.Count > 1)
                throw new CliException($"{path}: declares {types.Count} models ({string.Join(", ", types.Select(t => t.Name))}); choose one with --model NAME");
            if (!typeof(IDeclaredModel).IsAssignableFrom(types[0]))
                throw new CliException($"{path}: model {types[0].Name} is not valid, so nothing was generated for it; `dsl check {path}` says why");
            return new LoadedModel(compiled, types[0], path, with ?? []);
        }
        catch
        {
            compiled.Dispose();
            throw;
        }
    }
}
