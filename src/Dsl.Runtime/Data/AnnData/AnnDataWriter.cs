using PureHDF;

namespace Dsl.Runtime.Data.AnnData;

/// <summary>A small data frame for uns (e.g. URSM's W: bulk samples x cell types).</summary>
public sealed record AnnDataFrame(IReadOnlyList<string> Index, IReadOnlyList<(string Name, double[] Values)> Columns);

/// <summary>
/// What an .h5ad file will hold: the counts as X (CSR), their cell and gene names as obs and var, every per-cell
/// metadata column as a categorical, and the results a fit adds (obsm embeddings, dense layers, numeric obs columns,
/// uns entries: strings, numbers, string lists, nested dictionaries and data frames).
/// </summary>
/// <param name="source">
/// the .h5ad the counts were read from, if any: the file written is then that file (X, layers, obs, var, obsm, uns,
/// ...) with the results added, as scvi-tools users expect, rather than a new one holding only the counts
/// </param>
public sealed class AnnDataContent(CountMatrix counts, string? source = null)
{
    public CountMatrix Counts { get; } = counts;
    public string? Source { get; } = source;
    public Dictionary<string, float[,]> Obsm { get; } = new();
    public Dictionary<string, float[,]> Layers { get; } = new();
    public Dictionary<string, double[]> ObsNumbers { get; } = new();
    public Dictionary<string, object> Uns { get; } = new();
}

/// <summary>
/// Writes AnnData's on-disk format (anndata 0.8+: encoding-type / encoding-version attributes on every element) with
/// PureHDF, atomically: a failed write leaves no half file (an interrupted HDF5 file cannot be opened at all).
/// </summary>
public static class AnnDataWriter
{
    /// <returns>elements of the source file that could not be carried over (types anndata does not write), by path</returns>
    public static IReadOnlyList<string> Write(string path, AnnDataContent content)
    {
        var leftOut = new List<string>();
        var file = content.Source is { } source ? FromSource(source, content, leftOut) : Fresh(content);
        AtomicFile.Write(path, stream => file.Write(stream));
        return leftOut;
    }

    private static H5File Fresh(AnnDataContent content)
    {
        var counts = content.Counts;
        var file = new H5File
        {
            ["X"] = Sparse(counts),
            ["obs"] = Obs(content),
            ["var"] = Frame(counts.GeneNames, []),
            ["obsm"] = Dict(content.Obsm.ToDictionary(p => p.Key, p => (object)Array(p.Value))),
            ["layers"] = Dict(content.Layers.ToDictionary(p => p.Key, p => (object)Array(p.Value))),
            ["uns"] = Dict(content.Uns.ToDictionary(p => p.Key, p => Element(p.Value))),
            ["varm"] = Dict([]),
            ["obsp"] = Dict([]),
            ["varp"] = Dict([]),
        };
        file.Attributes = Encoding("anndata", "0.1.0");
        return file;
    }

    /// <summary>The source file, whole, with the results added to obs, obsm, layers and uns (an entry of the same name is replaced).</summary>
    private static H5File FromSource(string source, AnnDataContent content, List<string> leftOut)
    {
        H5Group root;
        using (var input = H5File.OpenRead(source)) root = H5Copy.Group(input, "", leftOut);
        var file = new H5File();
        foreach (var (name, item) in root) file[name] = item;
        file.Attributes = root.Attributes;
        var obs = (H5Group)file["obs"];
        var order = (obs.Attributes.TryGetValue("column-order", out var existing) && existing is string[] names ? names : []).ToList();
        void AddColumn(string name, object column)
        {
            obs[name] = column;
            if (!order.Contains(name)) order.Add(name);
        }
        foreach (var name in content.Counts.Metadata.ColumnNames.Where(n => !obs.ContainsKey(n))) AddColumn(name, Categorical(content.Counts.Metadata[name]));
        foreach (var (name, values) in content.ObsNumbers) AddColumn(name, Array(values));
        obs.Attributes["column-order"] = order.ToArray();
        AddTo(file, "obsm", content.Obsm.ToDictionary(p => p.Key, p => (object)Array(p.Value)));
        AddTo(file, "layers", content.Layers.ToDictionary(p => p.Key, p => (object)Array(p.Value)));
        AddTo(file, "uns", content.Uns.ToDictionary(p => p.Key, p => Element(p.Value)));
        return file;
    }

    private static void AddTo(H5File file, string dict, Dictionary<string, object> items)
    {
        if (!file.TryGetValue(dict, out var existing) || existing is not H5Group group) file[dict] = group = Dict([]);
        foreach (var (key, value) in items) group[key] = value;
    }

    private static Dictionary<string, object> Encoding(string type, string version) => new() { ["encoding-type"] = type, ["encoding-version"] = version };

    /// <summary>X as CSR; float32 when every value is exact in it (counts below 2^24), else float64.</summary>
    private static H5Group Sparse(CountMatrix counts)
    {
        var exactInFloat = counts.Values.All(v => (float)v == v);
        var group = new H5Group
        {
            ["data"] = exactInFloat ? System.Array.ConvertAll(counts.Values, v => (float)v) : counts.Values,
            ["indices"] = counts.Columns,
            ["indptr"] = counts.RowStarts,
        };
        group.Attributes = Encoding("csr_matrix", "0.1.0");
        group.Attributes["shape"] = new long[] { counts.Cells, counts.Genes };
        return group;
    }

    private static H5Group Obs(AnnDataContent content)
    {
        var counts = content.Counts;
        var columns = new List<(string, object)>();
        foreach (var name in counts.Metadata.ColumnNames) columns.Add((name, Categorical(counts.Metadata[name])));
        foreach (var (name, values) in content.ObsNumbers) columns.Add((name, Array(values)));
        return Frame(counts.CellNames, columns);
    }

    private static H5Group Frame(IReadOnlyList<string> index, IReadOnlyList<(string Name, object Column)> columns)
    {
        var group = new H5Group { ["_index"] = Strings(index) };
        foreach (var (name, column) in columns) group[name] = column;
        group.Attributes = Encoding("dataframe", "0.2.0");
        group.Attributes["_index"] = "_index";
        group.Attributes["column-order"] = columns.Select(c => c.Name).ToArray();
        return group;
    }

    /// <summary>Levels in order of first appearance, codes as int32 (anndata accepts any signed width).</summary>
    private static H5Group Categorical(IReadOnlyList<string> values)
    {
        var levels = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = values.Select(v =>
        {
            if (!index.TryGetValue(v, out var code)) { code = levels.Count; index[v] = code; levels.Add(v); }
            return code;
        }).ToArray();
        var group = new H5Group { ["categories"] = Strings(levels), ["codes"] = Array(codes) };
        group.Attributes = Encoding("categorical", "0.2.0");
        group.Attributes["ordered"] = H5Copy.H5Bool.FALSE;
        return group;
    }

    private static H5Dataset Strings(IReadOnlyList<string> values) => new(values.ToArray()) { Attributes = Encoding("string-array", "0.2.0") };

    private static H5Dataset Array(object values) => new(values) { Attributes = Encoding("array", "0.2.0") };

    private static H5Group Dict(Dictionary<string, object> items)
    {
        var group = new H5Group();
        foreach (var (key, value) in items) group[key] = value;
        group.Attributes = Encoding("dict", "0.1.0");
        return group;
    }

    /// <summary>One uns value in anndata's encoding.</summary>
    private static object Element(object value) => value switch
    {
        string text => new H5Dataset(text) { Attributes = Encoding("string", "0.2.0") },
        bool flag => new H5Dataset(flag ? H5Copy.H5Bool.TRUE : H5Copy.H5Bool.FALSE) { Attributes = Encoding("numeric-scalar", "0.2.0") },
        int or long or double or float => new H5Dataset(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)) { Attributes = Encoding("numeric-scalar", "0.2.0") },
        IReadOnlyList<string> list => Strings(list),
        double[] numbers => Array(numbers),
        AnnDataFrame frame => Frame(frame.Index, frame.Columns.Select(c => (c.Name, (object)Array(c.Values))).ToList()),
        IReadOnlyDictionary<string, object> nested => Dict(nested.ToDictionary(p => p.Key, p => Element(p.Value))),
        _ => throw new ArgumentException($"no AnnData encoding for a {value.GetType().Name} in uns"),
    };
}
