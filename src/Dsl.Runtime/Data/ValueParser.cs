using System.Globalization;

namespace Dsl.Runtime.Data;

/// <summary>Parses one matrix entry and enforces what the caller requires of it, with an error naming the place.</summary>
public static class ValueParser
{
    public static double Parse(ReadOnlySpan<char> field, string path, long line, string where, bool requireCounts)
    {
        field = field.Trim();
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(path, line, $"{where} is '{Shorten(field)}', not a number", "every entry must be a plain number such as 3 or 0.5");
        if (!double.IsFinite(value))
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}", "replace NaN and infinite values with real numbers (0 for unobserved counts)");
        if (requireCounts && value < 0)
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}, a negative count", "counts must be non-negative integers; pass raw counts, not normalised values");
        if (requireCounts && value != Math.Floor(value))
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}, not an integer", "this model needs raw integer counts, not normalised or log-transformed values");
        return value;
    }

    private static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : field[..40].ToString() + "...";
}
