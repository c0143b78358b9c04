using System.CommandLine;
using Dsl.Compiler;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;

namespace Dsl.Cli.Commands;

/// <summary>`dsl graph (model.cs | ursm)`: print the plate diagram as text and write it as SVG.</summary>
public static class GraphCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model file (.cs) or the name of a bundled model (ursm, scvi, gimvi)." };
        var svg = new Option<FileInfo?>("--svg") { Description = "Where to write the SVG (default: <Model>.svg in the current folder)." };
        var command = new Command("graph", "Print a model's plate diagram as text and write it as SVG.") { model, svg };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(svg), output, error));
        return command;
    }

    public static int Run(string model, FileInfo? svg, TextWriter output, TextWriter error)
    {
        foreach (var (graph, verdict) in Graphs(model, error))
        {
            output.Write(TextGraphRenderer.Render(graph));
            output.WriteLine(verdict);
            var path = svg?.FullName ?? Path.GetFullPath(graph.Name + ".svg");
            AtomicFile.WriteText(path, SvgGraphRenderer.Render(graph));
            output.WriteLine($"wrote {path}");
        }
        return 0;
    }

    /// <summary>The graphs of a bundled model, or of every model in a file compiled in-process, each with its fit verdict.</summary>
    public static IReadOnlyList<(ModelGraph Graph, string Verdict)> Graphs(string model, TextWriter error)
    {
        if (!model.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
        {
            var bundled = BundledModels.Find(model)
                ?? throw new CliException($"'{model}' is neither a .cs model file nor a bundled model; the bundled models are: {BundledModels.Names}");
            return [(BundledModels.GraphOf(bundled), FitVerdict.Line(bundled))];
        }
        if (!File.Exists(model)) throw new CliException($"{model}: file not found; pass the path of a model .cs file");
        using var compiled = ModelCompiler.Compile([model]);
        foreach (var message in compiled.Messages.Where(m => m.IsError)) error.WriteLine(message);
        if (!compiled.Succeeded) throw new CliException($"{model} does not compile; fix the errors above (dsl check {model})");
        var verdicts = FitVerdict.Lines(compiled).ToList();
        var graphs = compiled.ModelTypes.Select(t => (BundledModels.GraphOf(t), verdicts.FirstOrDefault(v => v.StartsWith($"model {t.Name}:")) ?? FitVerdict.Line(t))).ToList();
        return graphs.Count > 0 ? graphs : throw new CliException($"{model} declares no [PlateModel] class");
    }
}
