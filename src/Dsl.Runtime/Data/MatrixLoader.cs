namespace Dsl.Runtime.Data;

/// <summary>Opens a count matrix from whatever the user points at: a 10x folder, a .mtx file, an AnnData .h5ad file, or a CSV/TSV file.</summary>
public static class MatrixLoader
{
    public static CountMatrix Load(string path, ReadOptions? options = null)
    {
        if (Directory.Exists(path)) return TenXReader.Read(path, options);
        if (!File.Exists(path))
            throw new DataFormatException(path, null, "no such file or folder", "pass a 10x folder, a .mtx file, an .h5ad file, or a CSV/TSV file");
        if (path.EndsWith(".h5ad", StringComparison.OrdinalIgnoreCase) || AnnData.AnnDataReader.IsHdf5(path)) return AnnData.AnnDataReader.Read(path, options);
        if (options?.Layer is not null)
            throw new DataFormatException(path, null, "--layer applies to AnnData (.h5ad) files only", "leave --layer out for this file");
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return name.EndsWith(".mtx", StringComparison.OrdinalIgnoreCase)
            ? TenXReader.ReadMatrixFile(path, options)
            : DenseMatrixReader.Read(path, options);
    }
}
