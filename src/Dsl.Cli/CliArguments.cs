using System.CommandLine;

namespace Dsl.Cli;

/// <summary>Range checks of option values, each failing as one line naming the option.</summary>
public static class CliArguments
{
    public static int Positive(int value, string option, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0) ? value : throw new CliException($"{option} must be {(allowZero ? "0 or more" : "positive")}, not {value}");

    public static int InRange(int value, int low, int high, string option) =>
        value >= low && value <= high ? value : throw new CliException($"{option} must be in {low}..{high}, not {value}");

    public static double Fraction(double value, string option) =>
        value > 0 && value < 1 ? value : throw new CliException($"{option} must be between 0 and 1 (exclusive), not {value}");

    /// <summary>Refuses options the user gave that the chosen command does not use, instead of silently ignoring them.</summary>
    public static void RefuseUnused(ParseResult result, IEnumerable<Option> unused, string command)
    {
        var given = unused.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new CliException($"{string.Join(", ", given)} {(given.Count == 1 ? "does" : "do")} not apply to {command}; remove {(given.Count == 1 ? "it" : "them")} (see 'dsl fit --help')");
    }
}
