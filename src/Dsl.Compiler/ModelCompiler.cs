using System.Collections.Immutable;
using System.Reflection;
using Dsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Compiler;

/// <summary>The result of compiling model files: diagnostics, generated sources, and the loaded assembly on success.</summary>
public sealed class CompiledModels : IDisposable
{
    internal CompiledModels(IReadOnlyList<CompilerMessage> messages, IReadOnlyList<(string HintName, string Text)> generated, Assembly? assembly, ModelLoadContext? context)
    {
        Messages = messages;
        GeneratedSources = generated;
        Assembly = assembly;
        this.context = context;
    }

    private readonly ModelLoadContext? context;

    public IReadOnlyList<CompilerMessage> Messages { get; }
    public IReadOnlyList<(string HintName, string Text)> GeneratedSources { get; }
    public Assembly? Assembly { get; }
    public bool Succeeded => Assembly is not null;

    /// <summary>The [PlateModel] classes of the compiled files.</summary>
    public IEnumerable<Type> ModelTypes => Assembly?.GetTypes().Where(t => t.GetCustomAttribute<PlateModelAttribute>() is not null) ?? [];

    public void Dispose() => context?.Unload();
}

/// <summary>
/// Compiles model files in-process with Roslyn and the plate-model generator: no MSBuild, no project file, a few
/// seconds. References come from the running runtime's trusted platform assemblies plus the DSL's own assemblies.
/// </summary>
public static class ModelCompiler
{
    /// <summary>The usings an SDK project adds implicitly, so a model file compiles the same here and in a project.</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(LoadReferences);

    /// <summary>What a model file compiles against: the framework's assemblies and the DSL's own.</summary>
    public static ImmutableArray<MetadataReference> References => references.Value;

    public static CompiledModels Compile(IReadOnlyList<string> paths, bool load = true)
    {
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var trees = paths.Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, Path.GetFullPath(path)))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, "ImplicitUsings.g.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "DslModels_" + Guid.NewGuid().ToString("N"),
            trees,
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

        var driver = CSharpGeneratorDriver.Create([new PlateModelGenerator().AsSourceGenerator()], parseOptions: parseOptions);
        driver = (CSharpGeneratorDriver)driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var generated = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources)
            .Select(s => (s.HintName, s.SourceText.ToString())).ToList();

        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        var messages = generatorDiagnostics.Concat(emit.Diagnostics)
            .Where(d => d.Severity >= DiagnosticSeverity.Info)
            .Select(CompilerMessage.From)
            .Distinct()
            .OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Line).ThenBy(m => m.Column).ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        // Generator errors do not fail Emit (the model's storage still compiles), but such a model must not be used.
        if (!emit.Success || messages.Any(m => m.IsError) || !load) return new CompiledModels(messages, generated, null, null);

        stream.Position = 0;
        var context = new ModelLoadContext();
        return new CompiledModels(messages, generated, context.LoadFromStream(stream), context);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Only the framework's own assemblies: the host's other dependencies (Roslyn, test runners) are not the model's.
        var frameworkDirectory = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.StartsWith(frameworkDirectory, StringComparison.Ordinal));
        var own = new[] { typeof(PlateModelAttribute).Assembly.Location, typeof(Runtime.Graph.ModelGraph).Assembly.Location };
        return trusted.Concat(own)
            .Where(path => path.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
