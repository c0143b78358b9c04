namespace Dsl.Runtime.Data;

/// <summary>Opens a count matrix from whatever the user points at: a 10x folder, a .mtx file, or a CSV/TSV file.</summary>
public static class MatrixLoader
{
    public static CountMatrix Load(string path, ReadOptions? options = null)
    {
        if (Directory.Exists(path)) return TenXReader.Read(path, options);
        if (!File.Exists(path))
            throw new DataFormatException(path, null, "no such file or folder", "pass a 10x folder, a .mtx file, or a CSV/TSV file");
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return name.EndsWith(".mtx", StringComparison.OrdinalIgnoreCase)
            ? TenXReader.ReadMatrixFile(path, options)
            : DenseMatrixReader.Read(path, options);
    }
}
