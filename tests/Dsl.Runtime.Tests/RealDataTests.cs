using Dsl.Runtime.Data;
using Dsl.Tests.Shared;

namespace Dsl.Runtime.Tests;

/// <summary>The real fixtures (tests/fixtures/PROVENANCE.md) read through every path agree with each other.</summary>
public sealed class RealDataTests
{
    private static readonly string pbmc = RepoPaths.Pbmc;

    [Fact]
    public void TenXFolder_PbmcSmall_HasThePublishedShape()
    {
        var matrix = TenXReader.Read(pbmc);

        // PROVENANCE.md: 230 genes x 80 cells, 4456 non-zeros (the size line), integers 0..138.
        Assert.Equal(80, matrix.Cells);
        Assert.Equal(230, matrix.Genes);
        Assert.Equal(4456, matrix.NonZeros);
        Assert.True(matrix.IsInteger);
        Assert.Equal(138, matrix.Values.Max());
        Assert.Equal("ATGCCAGAACGACT", matrix.CellNames[0]);
        Assert.Equal(File.ReadLines(Path.Combine(pbmc, "genes.tsv")).First(), matrix.GeneNames[0]);
    }

    [Fact]
    public void DenseCsv_AgreesWithTheSparseCopy_EntryByEntry()
    {
        var sparse = TenXReader.Read(pbmc);
        var dense = DenseMatrixReader.Read(Path.Combine(pbmc, "expression_dense.csv"));

        // The header starts with 'gene', so the file is read as genes x cells and transposed to cells x genes.
        Assert.Equal(sparse.CellNames, dense.CellNames);
        Assert.Equal(sparse.GeneNames, dense.GeneNames);
        for (var cell = 0; cell < sparse.Cells; cell++)
            for (var gene = 0; gene < sparse.Genes; gene++)
                Assert.Equal(sparse[cell, gene], dense[cell, gene]);
    }

    [Fact]
    public void Metadata_PbmcSmall_ClusterSizesMatchProvenance()
    {
        var matrix = TenXReader.Read(pbmc);
        var metadata = MetadataReader.Read(Path.Combine(pbmc, "cells_metadata.csv"), matrix.CellNames);

        var (codes, levels) = metadata.Categorical("ident");
        var sizes = levels.Select((level, code) => (level, count: codes.Count(c => c == code))).ToDictionary(x => x.level, x => x.count);
        Assert.Equal(new Dictionary<string, int> { ["0"] = 36, ["1"] = 25, ["2"] = 19 }, sizes);
        Assert.Contains("groups", metadata.ColumnNames);
    }

    [Fact]
    public void Metadata_RowsInAnyOrder_AreAlignedToTheMatrix()
    {
        using var temp = new TempFolder();
        var lines = File.ReadAllLines(Path.Combine(pbmc, "cells_metadata.csv"));
        var shuffled = lines.Take(1).Concat(lines.Skip(1).Reverse()).ToArray();
        var path = temp.File("meta.csv");
        File.WriteAllLines(path, shuffled);
        var matrix = TenXReader.Read(pbmc);

        var original = MetadataReader.Read(Path.Combine(pbmc, "cells_metadata.csv"), matrix.CellNames);
        var reordered = MetadataReader.Read(path, matrix.CellNames);

        Assert.Equal(original["ident"], reordered["ident"]);
    }

    [Fact]
    public void LungFpkm_ReadsAsReal_ButIsRejectedAsCounts()
    {
        var folder = Path.Combine(RepoPaths.Fixtures, "lung_treutlein");
        var matrix = TenXReader.Read(folder);

        Assert.Equal(185, matrix.Cells);
        Assert.Equal(218, matrix.Genes);
        Assert.False(matrix.IsInteger);
        var error = Assert.Throws<DataFormatException>(() => TenXReader.Read(folder, new ReadOptions { RequireCounts = true }));
        Assert.Contains("counts.mtx:3:", error.Message);
        Assert.Contains("not an integer", error.Message);
    }
}
