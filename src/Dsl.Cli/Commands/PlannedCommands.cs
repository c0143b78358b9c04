using System.CommandLine;

namespace Dsl.Cli.Commands;

/// <summary>
/// Commands whose inference arrives with the URSM (#4) and scVI (#5) issues. They exist now so the command tree and
/// its help are stable; invoking one says plainly that it is not available yet and exits 2.
/// </summary>
public static class PlannedCommands
{
    public static IEnumerable<Command> Create(TextWriter error)
    {
        yield return Planned("simulate", "Simulate data from a model (URSM section 4.1, scVI synthetic ZINB).", "issues #4 and #5", error,
            new Argument<string>("model") { Description = "ursm or scvi." });
        yield return Planned("fit", "Fit a model to data and write its estimates to --out.", "issues #4 and #5", error,
            new Argument<string>("model") { Description = "A bundled model name or a model .cs file." },
            new Option<string>("--out") { Description = "Output folder." });
        yield return Planned("impute", "Impute dropouts or missing genes with a fitted model.", "issues #4 and #5", error,
            new Option<string>("--model") { Description = "Folder of a fitted model." });
    }

    private static Command Planned(string name, string description, string issues, TextWriter error, params Symbol[] symbols)
    {
        var command = new Command(name, description + " (not available yet)");
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else if (symbol is Option option) command.Options.Add(option);
        }
        command.SetAction(_ =>
        {
            error.WriteLine($"dsl {name}: not available yet; it arrives with {issues}. Available now: check, graph, data, bench kernels, demo.");
            return 2;
        });
        return command;
    }
}
