using System.CommandLine;
using Dsl.Cli.Report;

namespace Dsl.Cli.Commands;

/// <summary>`dsl report DIR [--truth SIM]`: rebuild a fit's report.html from its output folder.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var folder = new Argument<string>("folder") { Description = "The --out folder of a `dsl fit`." };
        var truth = new Option<string?>("--truth") { Description = "URSM: the `dsl simulate ursm` folder of the data, to plot Â against the truth and the dropout ROC." };
        var command = new Command("report", "Rebuild a fit's report.html (plots, settings, convergence; self-contained, opens without a network).") { folder, truth };
        command.SetAction(r =>
        {
            var path = FitReport.Write(r.GetValue(folder)!, r.GetValue(truth));
            output.WriteLine($"wrote {Path.GetFullPath(path)}");
            return 0;
        });
        return command;
    }
}
