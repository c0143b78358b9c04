using System.CommandLine;
using System.Diagnostics;
using Dsl.Compiler;

namespace Dsl.Cli.Commands;

/// <summary>`dsl check model.cs...`: compile in-process, print diagnostics in compiler format, exit 1 on any error.</summary>
public static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "Model files (.cs) to compile together; without any, the bundled models are checked.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dumpGenerated = new Option<DirectoryInfo?>("--emit-generated")
        {
            Description = "Also write the generated sources into this folder.",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Also print information diagnostics (the compiler's notes)." };
        var plan = new Option<bool>("--plan")
        {
            Description = "Also print, per model, what every engine planned (each latent's update, each parameter's M-step, each likelihood's kernel) or why it has no plan, and how the plans run (the Gibbs-EM sweep's schedule and random streams, the matrix products evaluated by GEMM).",
        };
        var command = new Command("check", "Compile model files with the plate-model generator, report diagnostics (path(line,col): error DSL0003: ...) and, per model, the engine that will fit it or why none does.")
        {
            files, dumpGenerated, verbose, plan,
        };
        command.SetAction(result => Run(result.GetValue(files) ?? [], result.GetValue(dumpGenerated), output, error, result.GetValue(verbose), result.GetValue(plan)));
        return command;
    }

    public static int Run(FileInfo[] files, DirectoryInfo? emitGenerated, TextWriter output, TextWriter error, bool verbose = false, bool plan = false)
    {
        var paths = files.Length > 0 ? files.Select(f => f.FullName).ToList() : BundledModels.SourceFiles.ToList();
        if (paths.Count == 0) throw new CliException("no model files given and no bundled models found next to the tool");
        foreach (var missing in paths.Where(p => !File.Exists(p)))
            throw new CliException($"{missing}: file not found; pass the path of a model .cs file");

        var clock = Stopwatch.StartNew();
        using var compiled = ModelCompiler.Compile(paths);
        var shown = compiled.Messages.Where(m => verbose || m.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).ToList();
        foreach (var message in shown) (message.IsError ? error : output).WriteLine(message);
        if (emitGenerated is not null)
        {
            emitGenerated.Create();
            foreach (var (hint, text) in compiled.GeneratedSources)
                Runtime.Data.AtomicFile.WriteText(Path.Combine(emitGenerated.FullName, hint), text);
        }
        if (!compiled.Messages.Any(m => m.IsError))
            foreach (var line in FitVerdict.Lines(compiled)) output.WriteLine(line);
        if (plan)
            foreach (var (model, plans, lowered) in Declared.DeclaredPlans.Of(paths))
            {
                output.WriteLine($"plan of {model}:");
                foreach (var line in Generators.Emit.PlanPrinter.Print(plans).TrimEnd().Split('\n')) output.WriteLine("    " + line.TrimEnd('\r'));
                output.WriteLine($"lowered program of {model}:");
                foreach (var line in Generators.Emit.LoweredPrinter.Print(lowered).TrimEnd().Split('\n')) output.WriteLine("    " + line.TrimEnd('\r'));
            }
        var errors = compiled.Messages.Count(m => m.IsError);
        var warnings = compiled.Messages.Count(m => m.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        var models = compiled.GeneratedSources.Count(s => s.HintName.EndsWith(".Graph.g.cs", StringComparison.Ordinal));
        var summary = $"{paths.Count} file(s), {models} model(s) generated, {errors} error(s), {warnings} warning(s) in {clock.Elapsed.TotalSeconds:0.00} s";
        (errors > 0 ? error : output).WriteLine(summary);
        return errors > 0 ? 1 : 0;
    }
}
