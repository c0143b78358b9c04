namespace Dsl.Runtime.Inference;

/// <summary>Checks the generated storage against the plate sizes before a fit, naming the node and the fix.</summary>
public static class ShapeCheck
{
    public static void Require(string node, Array values, params int[] sizes)
    {
        var ok = values.Rank == sizes.Length;
        for (var d = 0; ok && d < sizes.Length; d++) ok = values.GetLength(d) == sizes[d];
        if (ok) return;
        var actual = string.Join(" x ", Enumerable.Range(0, values.Rank).Select(values.GetLength));
        throw new ArgumentException($"{node}Values is {actual} but its plates are {string.Join(" x ", sizes)}; set the plate sizes and fill {node}Values to match");
    }

    /// <summary>Values of a node that indexes into a plate must lie in 0 .. size - 1.</summary>
    public static void RequireIndices(string node, int[] values, int plateSize, string plate)
    {
        for (var n = 0; n < values.Length; n++)
        {
            if (values[n] < 0 || values[n] >= plateSize)
                throw new ArgumentException($"{node}Values[{n}] = {values[n]} is not an index into plate {plate} (0 .. {plateSize - 1})");
        }
    }

    public static void RequireCounts(string node, int[,] values)
    {
        foreach (var v in values)
        {
            if (v < 0) throw new ArgumentException($"{node}Values holds a negative count ({v}); counts must be 0 or more");
        }
    }

    /// <summary>A sparse count matrix must be present, cells x items as the plates say, with no negative entries.</summary>
    public static void RequireCounts(string node, Data.CountMatrix? counts, int rows, int columns)
    {
        if (counts is null) throw new ArgumentException($"{node}Counts is not set; load the counts and assign them before fitting");
        if (counts.Cells != rows || counts.Genes != columns)
            throw new ArgumentException($"{node}Counts is {counts.Cells} x {counts.Genes} but its plates are {rows} x {columns}; set the plate sizes from the counts");
        foreach (var v in counts.Values)
        {
            if (v < 0) throw new ArgumentException($"{node}Counts holds a negative count ({v}); counts must be 0 or more");
        }
    }
}
