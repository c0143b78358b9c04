using System.CommandLine;

namespace Dsl.Cli.Commands;

/// <summary>
/// The parts of the scVI issue (#5) still to come. They exist now so the command tree and its help are
/// stable; invoking one says plainly that it is not available yet and exits 2.
/// </summary>
public static class PlannedCommands
{
    public static IEnumerable<Command> Create(TextWriter error)
    {
        yield return Planned("impute", "Impute missing genes or new cells with a fitted scVI model.", "issue #5", error,
            new Option<string>("--model") { Description = "Folder of a fitted model." });
        yield return Planned("de", "Bayes-factor differential expression between two groups of cells with a fitted scVI model.", "issue #5", error,
            new Option<string>("--model") { Description = "Folder of a fitted model." });
        yield return Planned("eval", "Held-out log-likelihood, imputation and clustering scores of a fitted scVI model.", "issue #5", error,
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
            error.WriteLine($"dsl {name}: not available yet; it arrives with {issues}. Available now: check, graph, data, simulate, fit, repro ursm, bench, demo.");
            return 2;
        });
        return command;
    }
}
