namespace Dsl.Runtime.Models;

/// <summary>Checks the values of a node a declaration derives from its data (Stan's transformed data) once they are computed.</summary>
public static class DerivedValues
{
    /// <summary>Every value must be a finite number: a NaN or an infinity names the node, its line, the entry and the data to check.</summary>
    public static void RequireFinite(string node, int line, string reads, Array values)
    {
        var at = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value)) { at++; continue; }
            throw new ArgumentException(
                $"{node} (line {line}), computed from the data, is {value} at entry {Entry(values, at)}: its expression is undefined there " +
                $"(a Log of a value at or below 0, a division by 0, ...); check the data it reads ({reads})");
        }
    }

    /// <summary>A scalar derived node's value, checked the same way.</summary>
    public static void RequireFinite(string node, int line, string reads, double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException(
                $"{node} (line {line}), computed from the data, is {value}: its expression is undefined (a Log of a value at or below 0, a division by 0, ...); check the data it reads ({reads})");
    }

    /// <summary>An index-valued derived node (<c>new K(k.Value + 1)</c>) must land on an entry of its plate.</summary>
    public static void RequireEntries(string node, int line, Array values, int plateSize, string plate)
    {
        var at = 0;
        foreach (int value in values)
        {
            if (value >= 0 && value < plateSize) { at++; continue; }
            throw new ArgumentException(
                $"{node} (line {line}) is position {value} of plate {plate} at entry {Entry(values, at)}, but {plate} has positions 0 to {plateSize - 1}; " +
                $"check the plate sizes: every entry of {node} must land on one of {plate}'s (a shift by one needs {plate} one larger than the plate it ranges over)");
        }
    }

    /// <summary>A scalar index-valued derived node, checked the same way.</summary>
    public static void RequireEntries(string node, int line, int value, int plateSize, string plate) =>
        RequireEntries(node, line, new[] { value }, plateSize, plate);

    private static string Entry(Array values, int flat)
    {
        var indices = new int[values.Rank];
        for (var d = values.Rank - 1; d >= 0; d--)
        {
            indices[d] = flat % values.GetLength(d);
            flat /= values.GetLength(d);
        }
        return "[" + string.Join(", ", indices) + "]";
    }
}
