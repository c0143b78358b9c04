using Dsl.Tests.Shared;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.Hostile;

/// <summary>
/// Checkpoints and saved models carry a checksum: of the round's 19 byte flips in a URSM checkpoint two were accepted
/// with a wrong A, and all 22 in an scVI checkpoint were. Now every change to the bytes is refused in one line.
/// </summary>
public sealed class DamagedFileTests
{
    /// <summary>Offsets spread over the whole file (header, payload, checksum), plus the first and last byte.</summary>
    private static IEnumerable<long> Offsets(long length)
    {
        var random = new Random(20);
        return new long[] { 0, 9, length / 2, length - 1 }.Concat(Enumerable.Range(0, 20).Select(_ => (long)random.NextInt64(length))).Distinct();
    }

    private static void Flip(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Flips each chosen byte of the file in turn (restoring the rest) and runs the resume.</summary>
    private static void AssertEveryFlipRefused(string checkpoint, Func<(int, string, string)> resume)
    {
        var good = File.ReadAllBytes(checkpoint);
        foreach (var offset in Offsets(good.Length))
        {
            File.WriteAllBytes(checkpoint, good);
            Flip(checkpoint, offset);
            AssertOneLine(resume(), "cannot resume from this checkpoint");
        }
        File.WriteAllBytes(checkpoint, good);
    }

    [Fact]
    public void EveryFlippedByte_InAnScviCheckpoint_IsRefused_AsAreAppendedAndMissingBytes()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        var checkpoint = Path.Combine(folder, "checkpoint.bin");
        var good = File.ReadAllBytes(checkpoint);

        AssertEveryFlipRefused(checkpoint, () => FitScvi(data, folder, "--resume"));
        File.WriteAllBytes(checkpoint, [.. good, .. "garbage"u8.ToArray()]);
        AssertOneLine(FitScvi(data, folder, "--resume"), "the file is damaged");
        File.WriteAllBytes(checkpoint, good[..^40]);
        AssertOneLine(FitScvi(data, folder, "--resume"), "the file is damaged");
    }

    [Fact]
    public void EveryFlippedByte_InAUrsmCheckpoint_IsRefused()
    {
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitUrsm(data, folder).Exit);

        AssertEveryFlipRefused(Path.Combine(folder, "checkpoint.bin"), () => FitUrsm(data, folder, "--resume"));
    }

    [Fact]
    public void ACheckpointFolder_IsOneLine_WithOrWithoutResume()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        Directory.CreateDirectory(Path.Combine(temp.Path, "fit", "checkpoint.bin"));

        AssertOneLine(FitScvi(data, Path.Combine(temp.Path, "fit"), "--resume"), "is a folder");
        AssertOneLine(FitScvi(data, Path.Combine(temp.Path, "fit")), "a folder is in the way");
    }

    [Theory]
    [InlineData("parameters.bin", "the file is damaged")]
    [InlineData("genes.txt", "it was changed after the model was saved")]
    [InlineData("settings.json", "it was changed after the model was saved")]
    [InlineData("batches.txt", "it was changed after the model was saved")]
    public void ADamagedSavedModelFile_IsRefused_NamingIt(string file, string phrase)
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        var path = Path.Combine(folder, "model", file);
        Flip(path, new FileInfo(path).Length / 2);

        var result = RunDsl("impute", "--model", Path.Combine(folder, "model"), "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"),
            "--batch-key", "batch", "--out", Path.Combine(temp.Path, "impute"));

        AssertOneLine(result, file);
        Assert.Contains(phrase, result.Err);
    }

    [Fact]
    public void AnEmptyGenesFile_AndAnAbsurdLatentSize_AreOneLine()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        var model = Path.Combine(folder, "model");
        string Impute() => RunDsl("impute", "--model", model, "--counts", Path.Combine(data, "counts.csv"), "--metadata", Path.Combine(data, "cells.csv"),
            "--batch-key", "batch", "--out", Path.Combine(temp.Path, "impute")).Err;
        var genes = File.ReadAllBytes(Path.Combine(model, "genes.txt"));

        File.WriteAllText(Path.Combine(model, "genes.txt"), "");
        Assert.Contains("genes.txt: it was changed", Impute());
        File.WriteAllBytes(Path.Combine(model, "genes.txt"), genes);
        File.WriteAllText(Path.Combine(model, "settings.json"), File.ReadAllText(Path.Combine(model, "settings.json")).Replace("\"latent\": 10", "\"latent\": 100000000"));
        Assert.Contains("settings.json: it was changed", Impute());
    }
}
