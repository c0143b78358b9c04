namespace Dsl.Runtime.Data;

/// <summary>Named per-cell columns (batch, labels, covariates), each one string per cell.</summary>
public sealed class CellMetadata
{
    private readonly Dictionary<string, string[]> columns = new(StringComparer.Ordinal);
    private readonly List<string> order = new();

    public CellMetadata(int cells) => Cells = cells;

    public int Cells { get; }

    public IReadOnlyList<string> ColumnNames => order;

    public bool Has(string column) => columns.ContainsKey(column);

    public IReadOnlyList<string> this[string column] => columns.TryGetValue(column, out var values)
        ? values
        : throw new KeyNotFoundException($"no metadata column '{column}'; the columns are: {string.Join(", ", order)}");

    public void Add(string column, string[] values)
    {
        if (values.Length != Cells) throw new ArgumentException($"column '{column}' has {values.Length} values for {Cells} cells");
        if (!columns.ContainsKey(column)) order.Add(column);
        columns[column] = values;
    }

    /// <summary>Codes a categorical column as 0..levels-1 in order of first appearance, with the level names.</summary>
    public (int[] Codes, IReadOnlyList<string> Levels) Categorical(string column)
    {
        var levels = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = this[column].Select(value =>
        {
            if (!index.TryGetValue(value, out var code)) { code = levels.Count; index[value] = code; levels.Add(value); }
            return code;
        }).ToArray();
        return (codes, levels);
    }
}
