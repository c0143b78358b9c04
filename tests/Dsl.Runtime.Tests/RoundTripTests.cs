using Dsl.Runtime.Data;
using Dsl.Tests.Shared;

namespace Dsl.Runtime.Tests;

public sealed class RoundTripTests
{
    private static CountMatrix Pbmc() => TenXReader.Read(RepoPaths.Pbmc);

    private static void AssertSame(CountMatrix expected, CountMatrix actual)
    {
        Assert.Equal(expected.CellNames, actual.CellNames);
        Assert.Equal(expected.GeneNames, actual.GeneNames);
        Assert.Equal(expected.RowStarts, actual.RowStarts);
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.Equal(expected.Values, actual.Values);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenX_WriteThenRead_GivesTheSameMatrix(bool gzip)
    {
        using var temp = new TempFolder();
        var matrix = Pbmc();

        MatrixWriter.WriteTenX(matrix, temp.Path, gzip);

        Assert.Equal(gzip, File.Exists(Path.Combine(temp.Path, "matrix.mtx.gz")));
        AssertSame(matrix, TenXReader.Read(temp.Path));
    }

    [Theory]
    [InlineData("cells.csv", false)]
    [InlineData("genes.tsv", true)]
    public void Dense_WriteThenRead_GivesTheSameMatrix(string name, bool genesAsRows)
    {
        using var temp = new TempFolder();
        var matrix = Pbmc();
        var path = temp.File(name);

        MatrixWriter.WriteDense(matrix, path, genesAsRows, name.EndsWith(".tsv") ? '\t' : ',');

        AssertSame(matrix, DenseMatrixReader.Read(path));
    }

    [Fact]
    public void MatrixMarket_CellsByGenes_IsRecognisedFromTheNames()
    {
        using var temp = new TempFolder();
        temp.File("barcodes.tsv", "c1\nc2\n");
        temp.File("features.tsv", "g1\tG1\tGene Expression\ng2\tG2\tGene Expression\ng3\tG3\tGene Expression\n");
        temp.File("matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n% written cells x genes\n2 3 3\n1 1 5\n1 3 2\n2 2 7\n");

        var matrix = TenXReader.Read(temp.Path);

        Assert.Equal(["g1", "g2", "g3"], matrix.GeneNames);
        Assert.Equal(5, matrix[0, 0]);
        Assert.Equal(2, matrix[0, 2]);
        Assert.Equal(7, matrix[1, 1]);
    }

    [Fact]
    public void MatrixMarket_EntriesInAnyOrder_GiveTheSameMatrix()
    {
        // Entries grouped by cell are placed as read; any other order goes through the builder's counting sort.
        using var temp = new TempFolder();
        var matrix = Pbmc();
        MatrixWriter.WriteTenX(matrix, temp.Path);
        var path = Path.Combine(temp.Path, "matrix.mtx");
        var lines = File.ReadAllLines(path);
        // Last cell first, each cell's genes from the last: out of cell order and out of gene order within a row.
        File.WriteAllLines(path, lines[..2].Concat(lines[2..].Reverse()));

        Assert.NotEqual(lines[2], File.ReadLines(path).ElementAt(2));
        AssertSame(matrix, TenXReader.Read(temp.Path));
    }

    [Fact]
    public void MatrixMarket_SquareShape_FollowsTheOrientationOption()
    {
        using var temp = new TempFolder();
        temp.File("barcodes.tsv", "c1\nc2\n");
        temp.File("genes.tsv", "g1\ng2\n");
        temp.File("matrix.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 2 9\n");

        // Square: the names cannot decide, so 10x's genes x cells applies unless told otherwise.
        Assert.Equal(9, TenXReader.Read(temp.Path)[1, 0]);
        Assert.Equal(9, TenXReader.Read(temp.Path, new ReadOptions { Orientation = Orientation.CellsByGenes })[0, 1]);
    }

    [Fact]
    public void UrsmLayout_NoHeaderNoNames_ReadsCellsByGenes()
    {
        using var temp = new TempFolder();
        var path = temp.File("sc.csv", "1,2,0\n0,3,4\n");

        var matrix = DenseMatrixReader.Read(path, new ReadOptions { RequireCounts = true });

        Assert.Equal(2, matrix.Cells);
        Assert.Equal(3, matrix.Genes);
        Assert.Equal(["cell1", "cell2"], matrix.CellNames);
        Assert.Equal(["gene1", "gene2", "gene3"], matrix.GeneNames);
        Assert.Equal(4, matrix[1, 2]);
    }

    [Fact]
    public void Subnormal_Values_Parse()
    {
        using var temp = new TempFolder();
        var path = temp.File("tiny.csv", "cell,g1,g2\nc1,1.5e-318,2\n");

        var matrix = DenseMatrixReader.Read(path);

        Assert.Equal(1.5e-318, matrix[0, 0]);
        Assert.True(double.IsSubnormal(matrix[0, 0]));
    }

    [Fact]
    public void AtomicFile_FailedWrite_LeavesNothingBehind()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "out.csv");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
