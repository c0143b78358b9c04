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
    CSharpCompilation Input)
{
    /// <summary>Generator warnings and errors; informational planning reports (DSL04xx) are left out.</summary>
    public IReadOnlyList<Diagnostic> Problems => GeneratorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>Problems other than planning reports (DSL04xx: a valid model that no engine fits yet), which tests of other concerns check separately.</summary>
    public IReadOnlyList<Diagnostic> ProblemsBesidesPlanning => Problems.Where(d => !d.Id.StartsWith("DSL04", StringComparison.Ordinal)).ToList();
}

/// <summary>Runs the incremental generator over sources the way the compiler does, with step tracking on.</summary>
public static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private const string ImplicitUsings = "global using global::System; global using global::System.Linq;";

    public static CSharpCompilation Compilation(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create("GeneratorTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path))
                .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "Usings.cs")),
            Dsl.Compiler.ModelCompiler.References,
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
