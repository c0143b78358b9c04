using System.Globalization;

namespace Dsl.Runtime.Data;

/// <summary>Parses one matrix entry and enforces what the caller requires of it, with an error naming the place.</summary>
public static class ValueParser
{
    /// <summary>
    /// The largest count accepted: 2^31 - 1, the range of the int counts the samplers hold. No sequencing count comes
    /// near it; a larger value is a unit or parsing mistake upstream (1e30 would train scVI to an ELBO of -1e28).
    /// </summary>
    public const double CountLimit = int.MaxValue;

    public static double Parse(ReadOnlySpan<char> field, string path, long line, string where, bool requireCounts)
    {
        field = field.Trim();
        if (TryParseWholeNumber(field, out var whole)) return requireCounts ? WithinLimit(whole, field, path, line, where) : whole;
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(path, line, $"{where} is '{Shorten(field)}', not a number", "every entry must be a plain number such as 3 or 0.5");
        if (!double.IsFinite(value))
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}", "replace NaN and infinite values with real numbers (0 for unobserved counts)");
        if (requireCounts && value < 0)
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}, a negative count", "counts must be non-negative integers; pass raw counts, not normalised values");
        if (requireCounts && value != Math.Floor(value))
            throw new DataFormatException(path, line, $"{where} is {Shorten(field)}, not an integer", "this model needs raw integer counts, not normalised or log-transformed values");
        return requireCounts ? WithinLimit(value, field, path, line, where) : value;
    }

    private static double WithinLimit(double count, ReadOnlySpan<char> field, string path, long line, string where) =>
        count <= CountLimit ? count
            : throw new DataFormatException(path, line, $"{where} is {Shorten(field)}, above the largest count accepted ({CountLimit:F0})",
                "check the units of the file: counts are reads or UMIs per entry, not totals or scaled values");

    /// <summary>
    /// Plain digits (the common case: counts) without the general parser, which costs several times more per entry;
    /// up to 15 digits, so the value is exact in a double.
    /// </summary>
    private static bool TryParseWholeNumber(ReadOnlySpan<char> field, out double value)
    {
        value = 0;
        if (field.IsEmpty || field.Length > 15) return false;
        long number = 0;
        foreach (var c in field)
        {
            var digit = (uint)(c - '0');
            if (digit > 9) return false;
            number = 10 * number + digit;
        }
        value = number;
        return true;
    }

    private static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : field[..40].ToString() + "...";
}
