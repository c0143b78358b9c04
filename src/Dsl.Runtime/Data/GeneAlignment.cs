namespace Dsl.Runtime.Data;

/// <summary>A count matrix re-ordered to a given gene list, and what did not match.</summary>
/// <param name="Missing">listed genes absent from the data: their columns are all zero</param>
/// <param name="Dropped">data genes not in the list: left out</param>
public sealed record AlignedCounts(CountMatrix Counts, IReadOnlyList<string> Missing, IReadOnlyList<string> Dropped);

public static class GeneAlignment
{
    /// <summary>The columns of <paramref name="counts"/> re-ordered by name to <paramref name="genes"/>.</summary>
    public static AlignedCounts Align(CountMatrix counts, IReadOnlyList<string> genes)
    {
        var target = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < genes.Count; j++) target[genes[j]] = j;
        var present = new HashSet<string>(counts.GeneNames, StringComparer.Ordinal);
        var map = counts.GeneNames.Select(name => target.TryGetValue(name, out var j) ? j : -1).ToArray();
        var entries = new List<(int, int, double)>((int)counts.NonZeros);
        for (var c = 0; c < counts.Cells; c++)
        {
            var columns = counts.RowColumns(c);
            var values = counts.RowValues(c);
            for (var k = 0; k < columns.Length; k++)
                if (map[columns[k]] >= 0) entries.Add((c, map[columns[k]], values[k]));
        }
        var aligned = CountMatrix.FromTriplets(counts.Cells, genes.Count, entries, counts.CellNames, genes).WithMetadata(counts.Metadata);
        return new AlignedCounts(aligned, genes.Where(g => !present.Contains(g)).ToList(), counts.GeneNames.Where(g => !target.ContainsKey(g)).ToList());
    }
}
