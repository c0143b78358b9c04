using System.CommandLine;

namespace Dsl.Cli.Progress;

/// <summary>--quiet and --json of a long command, and the progress mode they and the terminal imply.</summary>
public sealed class ProgressOptions
{
    private readonly Option<bool> quiet = new("--quiet") { Description = "Print no progress (results and errors still print)." };
    private readonly Option<bool> json = new("--json") { Description = "Print progress as one JSON object per line on standard error, for pipelines." };

    public void AddTo(Command command)
    {
        command.Options.Add(quiet);
        command.Options.Add(json);
    }

    /// <summary>
    /// Live only on a real terminal (the process's own standard error, not redirected); plain lines anywhere else,
    /// including a StringWriter in tests, so logs never hold carriage returns or escape codes.
    /// </summary>
    public ProgressMode Mode(ParseResult result, TextWriter error)
    {
        if (result.GetValue(quiet)) return ProgressMode.Quiet;
        if (result.GetValue(json)) return ProgressMode.Json;
        return OnScreen(error);
    }

    /// <summary>Live on the process's own, unredirected standard error of a real terminal; plain lines anywhere else.</summary>
    public static ProgressMode OnScreen(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb")
            ? ProgressMode.Live
            : ProgressMode.Lines;
}
