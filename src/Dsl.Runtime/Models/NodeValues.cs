namespace Dsl.Runtime.Models;

/// <summary>
/// One member of a data file, or one node's own file: its shape (empty for a number) and its values, row-major.
/// A file that names its rows and columns carries those names (<see cref="Labels"/>, per axis, null where unnamed);
/// a plate-index node given as text (cell types by name) carries the names (<see cref="ValueLabels"/>) and its
/// values are 1-based positions in that list.
/// </summary>
public sealed record NodeValues(string Member, int[] Shape, double[] Values)
{
    /// <summary>The file the values came from, for messages (null: the caller's data file).</summary>
    public string? Source { get; init; }

    public IReadOnlyList<string>?[]? Labels { get; init; }

    public IReadOnlyList<string>? ValueLabels { get; init; }

    /// <summary>
    /// How a count matrix's cells and genes were put on the node's plates (null for other files), printed with the fit
    /// so that a file bound the other way round than meant is seen before its results are read.
    /// </summary>
    public string? Binding { get; init; }

    public string ShapeText => Shape.Length == 0 ? "a number" : string.Join(" x ", Shape);
}
