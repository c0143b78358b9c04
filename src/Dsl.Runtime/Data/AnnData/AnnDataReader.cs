using PureHDF;

namespace Dsl.Runtime.Data.AnnData;

/// <summary>
/// Reads an AnnData .h5ad file (anndata 0.8+ on-disk format, plain or compressed) into a <see cref="CountMatrix"/>:
/// the matrix from X or a layer (CSR, CSC or dense), cell and gene names from obs and var, and every obs column
/// (categorical, string or numeric) as per-cell metadata, so --batch-key and --labels-key can name obs columns.
/// </summary>
public static class AnnDataReader
{
    /// <summary>The encoding versions this reader understands, per encoding type (anndata 0.8 to 0.10 write these).</summary>
    private static readonly Dictionary<string, string[]> supported = new()
    {
        ["anndata"] = ["0.1.0"],
        ["csr_matrix"] = ["0.1.0"],
        ["csc_matrix"] = ["0.1.0"],
        ["array"] = ["0.2.0"],
        ["dataframe"] = ["0.2.0"],
        ["categorical"] = ["0.2.0"],
        ["string-array"] = ["0.2.0"],
        ["dict"] = ["0.1.0"],
    };

    private static readonly byte[] Hdf5Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    public static bool IsHdf5(string path)
    {
        Span<byte> magic = stackalloc byte[8];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 8 && magic.SequenceEqual(Hdf5Signature);
    }

    public static CountMatrix Read(string path, ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        if (!File.Exists(path)) throw new DataFormatException(path, null, "file not found", "check the path");
        if (!IsHdf5(path))
            throw new DataFormatException(path, null, "not an HDF5 file (an .h5ad file starts with the HDF5 signature)", "give an AnnData file written by anndata's write_h5ad, or a 10x folder, .mtx or CSV");
        try
        {
            using var file = H5File.OpenRead(path);
            return Read(file, path, options);
        }
        catch (DataFormatException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFormatException(path, null, $"the HDF5 file cannot be read ({e.Message.TrimEnd('.')})", "the file is damaged or not written by anndata; re-save it with anndata's write_h5ad");
        }
    }

    private static CountMatrix Read(IH5Group file, string path, ReadOptions options)
    {
        Require(file, "anndata", "the file", path, optional: true);
        var (matrixPath, matrix) = MatrixObject(file, path, options.Layer);
        var cells = Index(file, "obs", path);
        var genes = Index(file, "var", path);
        var counts = ReadMatrix(matrix, matrixPath, path, cells, genes, options);
        return counts.WithMetadata(Columns(file.Group("obs"), path, cells.Length));
    }

    /// <summary>X, or the named layer; a missing one is refused naming what the file has.</summary>
    private static (string Path, IH5Object Matrix) MatrixObject(IH5Group file, string path, string? layer)
    {
        var layers = file.LinkExists("layers") ? file.Group("layers").Children().Select(c => c.Name).ToList() : [];
        var available = layers.Count == 0 ? "the file has no layers" : $"its layers are {string.Join(", ", layers)}";
        if (layer is not null)
            return layers.Contains(layer)
                ? ($"layers/{layer}", file.Get($"layers/{layer}"))
                : throw new DataFormatException(path, null, $"there is no layer '{layer}'", $"{available}; pass one of them to --layer, or leave --layer out to read X");
        return file.LinkExists("X")
            ? ("X", file.Get("X"))
            : throw new DataFormatException(path, null, "the file has no X matrix", layers.Count == 0 ? "write the counts as X" : $"{available}; pass --layer NAME to read one");
    }

    private static CountMatrix ReadMatrix(IH5Object matrix, string matrixPath, string path, string[] cells, string[] genes, ReadOptions options)
    {
        CountMatrix counts;
        if (matrix is IH5Dataset dense)
        {
            Require(dense, "array", matrixPath, path, optional: true);
            var shape = dense.Space.Dimensions;
            if (shape.Length != 2) throw new DataFormatException(path, null, $"'{matrixPath}' has {shape.Length} dimensions, not 2", "store cells x genes as a matrix");
            CheckShape((long)shape[0], (long)shape[1], cells.Length, genes.Length, matrixPath, path);
            var values = H5Values.Numbers(dense, matrixPath, path);
            var builder = new CsrBuilder(cells.Length, genes.Length);
            for (var c = 0; c < cells.Length; c++)
                for (var g = 0; g < genes.Length; g++) builder.Add(c, g, Checked(values[(long)c * genes.Length + g], c, g, cells, genes, matrixPath, path, options));
            counts = builder.Build(cells, genes);
        }
        else
        {
            var group = (IH5Group)matrix;
            var encoding = Require(group, null, matrixPath, path, optional: false);
            if (encoding is not ("csr_matrix" or "csc_matrix"))
                throw new DataFormatException(path, null, $"'{matrixPath}' is encoded as '{encoding}'", "store the counts as a csr_matrix, csc_matrix or dense array");
            var shape = H5Values.IntegerListAttribute(group, "shape", matrixPath, path);
            CheckShape(shape[0], shape[1], cells.Length, genes.Length, matrixPath, path);
            var data = H5Values.Numbers(group.Dataset("data"), matrixPath + "/data", path);
            var indices = H5Values.Integers(group.Dataset("indices"), matrixPath + "/indices", path);
            var pointers = H5Values.Integers(group.Dataset("indptr"), matrixPath + "/indptr", path);
            var byRow = encoding == "csr_matrix";
            var (outer, inner) = byRow ? (cells.Length, genes.Length) : (genes.Length, cells.Length);
            if (pointers.Length != outer + 1 || pointers[^1] != data.Length || indices.Length != data.Length)
                throw new DataFormatException(path, null, $"'{matrixPath}' has {pointers.Length} pointers and {indices.Length} indices for {data.Length} values over {outer} {(byRow ? "cells" : "genes")}",
                    "the sparse matrix is inconsistent; re-save the file with anndata");
            var builder = new CsrBuilder(cells.Length, genes.Length, data.Length);
            for (var o = 0; o < outer; o++)
            {
                if (pointers[o] > pointers[o + 1]) throw new DataFormatException(path, null, $"'{matrixPath}/indptr' decreases at {o}", "the sparse matrix is inconsistent; re-save the file with anndata");
                for (var k = pointers[o]; k < pointers[o + 1]; k++)
                {
                    if ((ulong)indices[k] >= (ulong)inner)
                        throw new DataFormatException(path, null, $"'{matrixPath}/indices' holds {indices[k]}, outside 0..{inner - 1}", "the sparse matrix is inconsistent; re-save the file with anndata");
                    var (c, g) = byRow ? (o, (int)indices[k]) : ((int)indices[k], o);
                    builder.Add(c, g, Checked(data[k], c, g, cells, genes, matrixPath, path, options));
                }
            }
            try
            {
                counts = builder.Build(cells, genes);
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException(path, null, $"'{matrixPath}': {e.Message}", "each (cell, gene) may appear once; re-save the file with anndata");
            }
        }
        return counts;
    }

    /// <summary>
    /// With counts required, a value must be a whole number in the count range; counts stored as floats are fine. A
    /// fraction means normalised data: the message names the layers that may hold the raw counts.
    /// </summary>
    private static double Checked(double value, int cell, int gene, string[] cells, string[] genes, string matrixPath, string path, ReadOptions options)
    {
        if (!double.IsFinite(value))
            throw new DataFormatException(path, null, $"'{matrixPath}' holds {value} at cell '{cells[cell]}', gene '{genes[gene]}'", "replace NaN and infinite values with real numbers");
        if (!options.RequireCounts) return value;
        if (value < 0 || value != Math.Floor(value))
            throw new DataFormatException(path, null, $"'{matrixPath}' holds {value:G6} at cell '{cells[cell]}', gene '{genes[gene]}': normalised or log-transformed values, not counts",
                options.Layer is null ? "pass --layer NAME for the layer holding raw counts (e.g. --layer counts), or write the raw counts as X" : "give the layer holding raw integer counts");
        if (value > ValueParser.CountLimit)
            throw new DataFormatException(path, null, $"'{matrixPath}' holds {value:G6} at cell '{cells[cell]}', gene '{genes[gene]}', above the largest count accepted ({ValueParser.CountLimit:F0})",
                "check the units of the matrix: counts are reads or UMIs per entry");
        return value;
    }

    private static void CheckShape(long rows, long columns, int cells, int genes, string matrixPath, string path)
    {
        if (rows != cells || columns != genes)
            throw new DataFormatException(path, null, $"'{matrixPath}' is {rows} x {columns} but obs names {cells} cells and var {genes} genes",
                "obs, var and the matrix must describe the same cells and genes; re-save the file with anndata");
    }

    /// <summary>The dataframe's index (obs or var names), checked for uniqueness.</summary>
    private static string[] Index(IH5Group file, string frame, string path)
    {
        if (!file.LinkExists(frame)) throw new DataFormatException(path, null, $"the file has no '{frame}' dataframe", "write the file with anndata's write_h5ad");
        var group = file.Group(frame);
        Require(group, "dataframe", frame, path, optional: false);
        var indexName = H5Values.StringAttribute(group, "_index") ?? "_index";
        if (!group.LinkExists(indexName)) throw new DataFormatException(path, null, $"'{frame}' has no index '{indexName}'", "write the file with anndata's write_h5ad");
        var names = H5Values.Strings(group.Dataset(indexName), $"{frame}/{indexName}", path);
        NameList.RequireUnique(names, path, frame == "obs" ? "cell" : "gene", _ => 0);
        return names;
    }

    /// <summary>Every obs column as strings: categorical (codes into categories; −1 is missing), string, numeric or boolean.</summary>
    private static CellMetadata Columns(IH5Group obs, string path, int cells)
    {
        var metadata = new CellMetadata(cells);
        foreach (var column in H5Values.StringListAttribute(obs, "column-order"))
        {
            var where = $"obs/{column}";
            if (!obs.LinkExists(column)) throw new DataFormatException(path, null, $"'obs' lists column '{column}' but does not hold it", "re-save the file with anndata");
            var item = obs.Get(column);
            string[] values;
            if (item is IH5Group categorical)
            {
                Require(categorical, "categorical", where, path, optional: false);
                var categories = H5Values.Strings(categorical.Dataset("categories"), where + "/categories", path);
                values = H5Values.Integers(categorical.Dataset("codes"), where + "/codes", path)
                    .Select(code => code < 0 ? "" : code < categories.Length ? categories[code]
                        : throw new DataFormatException(path, null, $"'{where}/codes' holds {code}, but there are {categories.Length} categories", "re-save the file with anndata"))
                    .ToArray();
            }
            else
            {
                var dataset = (IH5Dataset)item;
                Require(dataset, null, where, path, optional: true);
                values = dataset.Type.Class switch
                {
                    H5DataTypeClass.String or H5DataTypeClass.VariableLength => H5Values.Strings(dataset, where, path),
                    H5DataTypeClass.Enumerated => Array.ConvertAll(dataset.Read<byte[]>(), b => b != 0 ? "True" : "False"),
                    _ => Array.ConvertAll(H5Values.Numbers(dataset, where, path), v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                };
            }
            if (values.Length != cells)
                throw new DataFormatException(path, null, $"'{where}' has {values.Length} values for {cells} cells", "obs and X must describe the same cells; re-save the file with anndata");
            metadata.Add(column, values);
        }
        return metadata;
    }

    /// <summary>
    /// The item's encoding type, checked against <paramref name="expected"/> and its version against those supported.
    /// <paramref name="optional"/>: items anndata may write without attributes (the root, plain arrays).
    /// </summary>
    private static string? Require(IH5Object item, string? expected, string where, string path, bool optional)
    {
        var type = H5Values.StringAttribute(item, "encoding-type");
        if (type is null)
            return optional ? null : throw new DataFormatException(path, null, $"'{where}' has no encoding-type: the file was written by anndata before 0.8 or by another tool",
                "re-save it with anndata 0.8 or later (anndata.read_h5ad(f).write_h5ad(f))");
        if (expected is not null && type != expected)
            throw new DataFormatException(path, null, $"'{where}' is encoded as '{type}', not '{expected}'", "re-save the file with anndata's write_h5ad");
        var version = H5Values.StringAttribute(item, "encoding-version");
        if (supported.TryGetValue(type, out var versions) && version is not null && !versions.Contains(version))
            throw new DataFormatException(path, null, $"'{where}' uses {type} encoding version {version}, which this dsl does not read (it reads {string.Join(", ", versions)})",
                "re-save the file with anndata 0.8 to 0.10, or convert it to a 10x folder");
        return type;
    }
}
