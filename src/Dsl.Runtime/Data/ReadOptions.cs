namespace Dsl.Runtime.Data;

/// <summary>How the rows of a matrix file map to cells and genes.</summary>
public enum Orientation
{
    /// <summary>Decide from the names files (10x) or from the shape; 10x files default to genes x cells.</summary>
    Auto,
    GenesByCells,
    CellsByGenes,
}

/// <summary>Whether a dense text file starts with a header row of names.</summary>
public enum HeaderMode
{
    Auto,
    Present,
    Absent,
}

public sealed record ReadOptions
{
    /// <summary>Reject negative and non-integer values (models of counts need raw counts).</summary>
    public bool RequireCounts { get; init; }

    public Orientation Orientation { get; init; } = Orientation.Auto;

    public HeaderMode Header { get; init; } = HeaderMode.Auto;

    /// <summary>AnnData files: read this layer (e.g. raw counts in layers/counts) instead of X.</summary>
    public string? Layer { get; init; }
}
