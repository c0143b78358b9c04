namespace Dsl.Runtime.Models;

/// <summary>One member of a data file: its shape (empty for a number) and its values, row-major.</summary>
public sealed record NodeValues(string Member, int[] Shape, double[] Values)
{
    public string ShapeText => Shape.Length == 0 ? "a number" : string.Join(" x ", Shape);
}
