using System.CommandLine;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;

namespace Dsl.Cli.Commands;

/// <summary>
/// `dsl demo`: what the tool can do today, end to end: compile every bundled declaration in-process, print each plate
/// diagram and write it as SVG into the output folder.
/// </summary>
public static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outFolder = new Option<DirectoryInfo>("--out") { Description = "Folder for the demo's outputs.", DefaultValueFactory = _ => new DirectoryInfo("dsl-demo") };
        var command = new Command("demo", "Check the bundled models (URSM, scVI, gimVI) and draw their plate diagrams.") { outFolder };
        command.SetAction(result => Run(result.GetValue(outFolder)!, output, error));
        return command;
    }

    public static int Run(DirectoryInfo outFolder, TextWriter output, TextWriter error)
    {
        output.WriteLine($"Checking the bundled model declarations in {BundledModels.SourceFolder}");
        var status = CheckCommand.Run([], null, output, error);
        if (status != 0) return status;
        outFolder.Create();
        foreach (var type in BundledModels.Types)
        {
            var graph = BundledModels.GraphOf(type);
            output.WriteLine();
            output.Write(TextGraphRenderer.Render(graph));
            var path = Path.Combine(outFolder.FullName, graph.Name + ".svg");
            AtomicFile.WriteText(path, SvgGraphRenderer.Render(graph));
            output.WriteLine($"wrote {path}");
        }
        output.WriteLine();
        output.WriteLine($"Plate diagrams are in {outFolder.FullName}. Fitting arrives with issues #4 (URSM) and #5 (scVI).");
        return 0;
    }
}
