using System.IO.Compression;
using Dsl.Runtime.Data;
using Dsl.Tests.Shared;

namespace Dsl.Runtime.Tests;

/// <summary>Every malformed input gets one line naming the file, the line (where there is one), the problem and a fix.</summary>
public sealed class BadInputTests
{
    private static DataFormatException Fails(Action read)
    {
        var error = Assert.Throws<DataFormatException>(read);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(";", error.Message); // problem; fix
        return error;
    }

    [Theory]
    [InlineData("empty", "", null, "the file is empty")]
    [InlineData("ragged rows", "cell,g1,g2\nc1,1,2\nc2,3\n", 3, "the row has 2 fields but the header implies 3")]
    [InlineData("non-numeric", "cell,g1,g2\nc1,1,x2\n", 2, "column 3 is 'x2', not a number")]
    [InlineData("negative count", "cell,g1,g2\nc1,1,-2\n", 2, "a negative count")]
    [InlineData("non-integer count", "cell,g1,g2\nc1,1,2.5\n", 2, "not an integer")]
    [InlineData("NaN", "cell,g1,g2\nc1,NaN,2\n", 2, "is NaN")]
    [InlineData("infinity", "cell,g1,g2\nc1,1,Infinity\n", 2, "is Infinity")]
    [InlineData("duplicate gene", "cell,g1,g1\nc1,1,2\n", 1, "column name 'g1' repeats")]
    [InlineData("duplicate cell", "cell,g1,g2\nc1,1,2\nc1,3,4\n", 3, "cell name 'c1' repeats")]
    [InlineData("header without data", "cell,g1,g2\n", 1, "no data rows")]
    public void DenseCounts_Malformed(string what, string content, int? line, string phrase)
    {
        using var temp = new TempFolder();
        var path = temp.File("bad.csv", content);

        var error = Fails(() => DenseMatrixReader.Read(path, new ReadOptions { RequireCounts = true }));

        Assert.StartsWith(path + (line is null ? ":" : $":{line}:"), error.Message + ":");
        Assert.Contains(phrase, error.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Theory]
    [InlineData("bad header", "%%MatrixMarket tensor\n2 2 1\n1 1 1\n", "1:", "not a Matrix Market banner")]
    [InlineData("dense array", "%%MatrixMarket matrix array integer general\n2 2\n", "1:", "only sparse 'coordinate'")]
    [InlineData("bad size", "%%MatrixMarket matrix coordinate integer general\n2 two 1\n", "2:", "three non-negative integers")]
    [InlineData("index out of range", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n4 1 1\n", "3:", "row index 4 is outside 1..3")]
    [InlineData("truncated entries", "%%MatrixMarket matrix coordinate integer general\n3 2 3\n1 1 1\n", "", "declares 3 entries but the file holds 1")]
    [InlineData("extra entries", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n1 1 1\n2 2 2\n", "4:", "declares 1 entries but more follow")]
    [InlineData("wrong field count", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n1 1\n", "3:", "an entry has 2 fields")]
    [InlineData("negative", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n1 1 -4\n", "3:", "negative count")]
    [InlineData("fractional", "%%MatrixMarket matrix coordinate real general\n3 2 1\n1 1 2.5\n", "3:", "not an integer")]
    [InlineData("duplicate, out of order", "%%MatrixMarket matrix coordinate integer general\n3 2 3\n2 2 1\n1 1 1\n2 2 5\n", "", "entry (c2, g2) appears twice")]
    public void MatrixMarket_Malformed(string what, string matrix, string line, string phrase)
    {
        using var temp = new TempFolder();
        temp.File("genes.tsv", "g1\ng2\ng3\n");
        temp.File("barcodes.tsv", "c1\nc2\n");
        var path = temp.File("matrix.mtx", matrix);

        var error = Fails(() => TenXReader.Read(temp.Path, new ReadOptions { RequireCounts = true }));

        Assert.StartsWith(path + ":" + line, error.Message);
        Assert.Contains(phrase, error.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void TenX_DuplicateGeneNames_NameTheLine()
    {
        using var temp = new TempFolder();
        var genes = temp.File("features.tsv", "g1\ng2\ng1\n");
        temp.File("barcodes.tsv", "c1\nc2\n");
        temp.File("matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n1 1 1\n");

        var error = Fails(() => TenXReader.Read(temp.Path));

        Assert.Equal($"{genes}:3: gene name 'g1' repeats the one at line 1; gene names must be unique; rename or merge the duplicates", error.Message);
    }

    [Fact]
    public void TenX_NamesThatDoNotFitTheMatrix_AreRejected()
    {
        using var temp = new TempFolder();
        temp.File("features.tsv", "g1\ng2\n");
        temp.File("barcodes.tsv", "c1\nc2\nc3\nc4\n");
        temp.File("matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n3 2 1\n1 1 1\n");

        var error = Fails(() => TenXReader.Read(temp.Path));

        Assert.Contains("the matrix is 3 x 2 but the folder names 2 genes and 4 cells", error.Message);
    }

    [Fact]
    public void TruncatedGzip_IsReportedAsSuch()
    {
        using var temp = new TempFolder();
        MatrixWriter.WriteTenX(TenXReader.Read(RepoPaths.Pbmc), temp.Path, gzip: true);
        var matrix = Path.Combine(temp.Path, "matrix.mtx.gz");
        var bytes = File.ReadAllBytes(matrix);
        File.WriteAllBytes(matrix, bytes[..(bytes.Length / 2)]);

        var error = Fails(() => TenXReader.Read(temp.Path));

        Assert.StartsWith(matrix + ":", error.Message);
        Assert.Contains("gzip stream is truncated or corrupt", error.Message);
    }

    [Fact]
    public void Metadata_MissingCell_IsNamed()
    {
        using var temp = new TempFolder();
        var path = temp.File("meta.csv", "cell,batch\nc1,a\n");

        var error = Fails(() => MetadataReader.Read(path, ["c1", "c2"]));

        Assert.Contains("cell 'c2' of the count matrix has no row", error.Message);
    }

    [Fact]
    public void MissingFile_IsOneLine()
    {
        var error = Fails(() => MatrixLoader.Load("/nonexistent/counts.csv"));

        Assert.Equal("/nonexistent/counts.csv: no such file or folder; pass a 10x folder, a .mtx file, an .h5ad file, or a CSV/TSV file", error.Message);
    }

    [Fact]
    public void GzipByContent_IsReadWhateverTheName()
    {
        using var temp = new TempFolder();
        var path = temp.File("counts.csv");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gzip))
            writer.Write("cell,g1\nc1,3\n");

        Assert.Equal(3, DenseMatrixReader.Read(path)[0, 0]);
    }
}
