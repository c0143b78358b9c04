using System.Collections.Immutable;
using Dsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generators.Tests;

/// <summary>What one generator run produced: generated files, generator diagnostics, and the compiled output's diagnostics.</summary>
public sealed record GeneratorRun(
    IReadOnlyList<(string HintName, string Text)> Generated,
    IReadOnlyList<Diagnostic> GeneratorDiagnostics,
    IReadOnlyList<Diagnostic> OutputDiagnostics,
    GeneratorDriver Driver,
    CSharpCompilation Input);

/// <summary>Runs the incremental generator over sources the way the compiler does, with step tracking on.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private const string ImplicitUsings = "global using global::System; global using global::System.Linq;";

    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(() =>
    {
        var frameworkDirectory = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.StartsWith(frameworkDirectory, StringComparison.Ordinal))
            .Append(typeof(PlateModelAttribute).Assembly.Location)
            .Append(typeof(Runtime.Graph.ModelGraph).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static CSharpCompilation Compilation(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create("GeneratorTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path))
                .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "Usings.cs")),
            references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(params (string Path, string Text)[] sources) => Run(Compilation(sources));

    public static GeneratorRun Run(CSharpCompilation input, GeneratorDriver? driver = null)
    {
        driver ??= CSharpGeneratorDriver.Create([new PlateModelGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var generated = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToList();
        var outputDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        return new GeneratorRun(generated, diagnostics, outputDiagnostics, driver, input);
    }

    public static (string Path, string Text) ModelFile(string path) => (path, File.ReadAllText(path));
}
