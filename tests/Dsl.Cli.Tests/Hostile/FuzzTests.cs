using System.IO.Compression;
using System.Text;
using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.Hostile;

/// <summary>
/// Seeded mutations of every input format the CLI reads. A mutated input may still be valid (exit 0); otherwise the
/// answer must be one line starting "dsl:", exit 1, no trace and no "internal error". Checkpoints and saved models
/// carry checksums, so there every change must be refused.
/// </summary>
public sealed class FuzzTests
{
    private const int MutationsPerFormat = 100;

    /// <summary>One seeded edit of a file's bytes: the kinds of damage copies, editors and crashes do.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(7))
        {
            case 0: // a flipped byte
                if (bytes.Count > 0) bytes[at] ^= (byte)(1 + random.Next(255));
                break;
            case 1: // truncated
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2: // a stretch deleted
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                break;
            case 3: // random bytes inserted
                bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                break;
            case 4: // a text-like character replaced
                const string textual = "0123456789-.,\t\n e%\"x";
                if (bytes.Count > 0) bytes[at] = (byte)textual[random.Next(textual.Length)];
                break;
            case 5: // a stretch repeated
                var length = Math.Min(bytes.Count - at, 1 + random.Next(40));
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            default: // garbage appended
                bytes.AddRange(Encoding.ASCII.GetBytes("\n9 9 9\nnot,a,row\n"));
                break;
        }
        return bytes.ToArray();
    }

    private static void AssertValidOrOneLine((int Exit, string Out, string Err) result, string what)
    {
        if (result.Exit == 0) return;
        var lines = result.Err.TrimEnd('\n').Split('\n');
        Assert.True(result.Exit == 1 && lines.Length == 1 && lines[0].StartsWith("dsl: ") && !result.Err.Contains("   at ") && !result.Err.Contains("internal error"),
            $"{what}: exit {result.Exit}: {result.Err}");
    }

    /// <summary>Mutates each named file of a folder in turn and runs the command on the folder.</summary>
    private static void FuzzFiles(string folder, IReadOnlyList<string> files, int seed, Func<(int, string, string)> run)
    {
        var random = new Random(seed);
        var originals = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(folder, f)));
        for (var m = 0; m < MutationsPerFormat; m++)
        {
            var file = files[m % files.Count];
            File.WriteAllBytes(Path.Combine(folder, file), Mutate(originals[file], random));
            AssertValidOrOneLine(run(), $"mutation {m} of {file}");
            File.WriteAllBytes(Path.Combine(folder, file), originals[file]);
        }
    }

    private static string SmallCsv(TempFolder temp, string name, char delimiter)
    {
        var rows = new[] { "cell,g1,g2,g3", "c1,0,3,1", "c2,5,0,2", "c3,1,1,0", "c4,7,2,9" };
        return temp.File(name, string.Join("\n", rows.Select(r => r.Replace(',', delimiter))) + "\n");
    }

    [Theory]
    [InlineData("counts.csv", ',', 1)]
    [InlineData("counts.tsv", '\t', 2)]
    public void DenseText(string name, char delimiter, int seed)
    {
        using var temp = new TempFolder();
        var path = SmallCsv(temp, name, delimiter);
        FuzzFiles(temp.Path, [name], seed, () => RunDsl("data", "info", path, "--counts"));
    }

    [Fact]
    public void MatrixMarketFile()
    {
        using var temp = new TempFolder();
        var path = temp.File("alone/counts.mtx", "%%MatrixMarket matrix coordinate integer general\n% a comment\n4 3 5\n1 1 3\n2 1 1\n2 3 4\n3 2 8\n4 3 2\n");
        FuzzFiles(Path.GetDirectoryName(path)!, ["counts.mtx"], 3, () => RunDsl("data", "info", path, "--counts"));
    }

    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 5)]
    public void TenXFolder(bool gzip, int seed)
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "tenx");
        Assert.Equal(0, RunDsl("data", "convert", RepoPaths.Pbmc, folder, gzip ? "--gzip" : "--counts").Exit);
        var suffix = gzip ? ".gz" : "";
        FuzzFiles(folder, ["matrix.mtx" + suffix, "barcodes.tsv" + suffix, "features.tsv" + suffix], seed, () => RunDsl("data", "info", folder, "--counts"));
    }

    [Fact]
    public void GzipOfDenseText()
    {
        using var temp = new TempFolder();
        var plain = File.ReadAllBytes(SmallCsv(temp, "plain.csv", ','));
        var path = temp.File("counts.csv.gz");
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            gzip.Write(plain);
        FuzzFiles(temp.Path, ["counts.csv.gz"], 6, () => RunDsl("data", "info", path, "--counts"));
    }

    [Fact]
    public void AnnData()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "cells.h5ad");
        Assert.Equal(0, RunDsl("data", "convert", SmallCsv(temp, "plain.csv", ','), path).Exit);
        FuzzFiles(temp.Path, ["cells.h5ad"], 11, () => RunDsl("data", "info", path, "--counts"));
    }

    [Fact]
    public void Metadata()
    {
        using var temp = new TempFolder();
        var counts = SmallCsv(temp, "counts.csv", ',');
        var metadata = temp.File("cells.csv", "cell,batch\nc1,a\nc2,b\nc3,a\nc4,b\n");
        FuzzFiles(temp.Path, ["cells.csv"], 7, () => RunDsl("data", "info", counts, "--metadata", metadata));
    }

    [Fact]
    public void Checkpoints_EveryChangeIsRefused()
    {
        using var temp = new TempFolder();
        var scvi = ScviData(temp);
        var ursm = UrsmData(temp, name: "ursm-data");
        var scviFit = Path.Combine(temp.Path, "scvi");
        var ursmFit = Path.Combine(temp.Path, "ursm");
        Assert.Equal(0, FitScvi(scvi, scviFit).Exit);
        Assert.Equal(0, FitUrsm(ursm, ursmFit).Exit);
        AssertEveryChangeRefused(Path.Combine(scviFit, "checkpoint.bin"), 8, () => FitScvi(scvi, scviFit, "--resume"));
        AssertEveryChangeRefused(Path.Combine(ursmFit, "checkpoint.bin"), 9, () => FitUrsm(ursm, ursmFit, "--resume"));
    }

    [Fact]
    public void SavedModelFiles_EveryChangeIsRefused()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var fit = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, fit).Exit);
        var model = Path.Combine(fit, "model");
        var seed = 10;
        foreach (var file in new[] { "parameters.bin", "genes.txt", "batches.txt", "settings.json" })
            AssertEveryChangeRefused(Path.Combine(model, file), seed++, () => RunDsl("impute", "--model", model, "--counts", Path.Combine(data, "counts.csv"),
                "--metadata", Path.Combine(data, "cells.csv"), "--batch-key", "batch", "--threads", "1", "--out", Path.Combine(temp.Path, "impute")));
    }

    private static void AssertEveryChangeRefused(string path, int seed, Func<(int Exit, string Out, string Err)> run)
    {
        var random = new Random(seed);
        var original = File.ReadAllBytes(path);
        for (var m = 0; m < MutationsPerFormat / 2; m++)
        {
            var mutated = Mutate(original, random);
            if (mutated.AsSpan().SequenceEqual(original)) continue;
            File.WriteAllBytes(path, mutated);
            var result = run();
            var lines = result.Err.TrimEnd('\n').Split('\n');
            Assert.True(result.Exit == 1 && lines.Length == 1 && lines[0].StartsWith("dsl: ") && !result.Err.Contains("   at "),
                $"mutation {m} of {Path.GetFileName(path)}: exit {result.Exit}: {result.Err}");
        }
        File.WriteAllBytes(path, original);
    }
}
