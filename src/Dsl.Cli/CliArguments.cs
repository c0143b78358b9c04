namespace Dsl.Cli;

/// <summary>Range checks of option values, each failing as one line naming the option.</summary>
public static class CliArguments
{
    public static int Positive(int value, string option, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0) ? value : throw new CliException($"{option} must be {(allowZero ? "0 or more" : "positive")}, not {value}");

    public static double Fraction(double value, string option) =>
        value > 0 && value < 1 ? value : throw new CliException($"{option} must be between 0 and 1 (exclusive), not {value}");
}
