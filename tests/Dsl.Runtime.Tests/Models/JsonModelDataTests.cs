using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Runtime.Tests.Models;

/// <summary>Data files in CmdStan's JSON convention: shapes read from nesting, and one line for each malformed file.</summary>
public sealed class JsonModelDataTests
{
    private static IReadOnlyList<NodeValues> Read(string json)
    {
        using var folder = new TempFolder();
        return JsonModelData.Read(folder.File("data.json", json));
    }

    private static string Refusal(string json)
    {
        using var folder = new TempFolder();
        var path = folder.File("data.json", json);
        return Assert.Throws<DataFormatException>(() => JsonModelData.Read(path)).Message[(path.Length + 1)..];
    }

    [Fact]
    public void NumbersArraysAndArraysOfArrays_KeepTheirShapeRowMajor()
    {
        var members = Read("""{"N": 3, "y": [1, 0, 1], "x": [[1, 2], [3, 4], [5, 6]], "empty": []}""");
        Assert.Equal(["N", "y", "x", "empty"], members.Select(m => m.Member));
        Assert.Equal([[], [3], [3, 2], [0]], members.Select(m => m.Shape));
        Assert.Equal([1, 2, 3, 4, 5, 6], members[2].Values);
    }

    [Fact]
    public void WriteThenRead_GivesTheSameMembers()
    {
        using var folder = new TempFolder();
        var path = folder.File("out.json");
        NodeValues[] written = [new("a", [], [2.5]), new("b", [2, 3], [1, 2, 3, 4, 5, 1e-300]), new("c", [0], [])];
        JsonModelData.Write(path, written);
        var read = JsonModelData.Read(path);
        Assert.Equal(written.Select(w => (w.Member, string.Join(",", w.Shape), string.Join(",", w.Values))), read.Select(r => (r.Member, string.Join(",", r.Shape), string.Join(",", r.Values))));
    }

    [Fact]
    public void RaggedArrays_NameTheRow() =>
        Assert.Equal(" member 'x' is ragged: x[2] holds an array of 1 where its first entry holds an array of 2; give every row the same length (one array per row, row-major)",
            Refusal("""{"x": [[1, 2], [3]]}"""));

    [Fact]
    public void AStringOrNull_IsNotANumber()
    {
        Assert.StartsWith(" y[2] is the string \"1\", not a number", Refusal("""{"y": [0, "1"]}"""));
        Assert.StartsWith(" y[1] is null, not a number", Refusal("""{"y": [null]}"""));
    }

    [Fact]
    public void InvalidJson_NamesTheLine() =>
        Assert.StartsWith("3: not valid JSON", Refusal("{\n\"y\": [1,\n 2 3]\n}"));

    [Fact]
    public void AnArrayAtTheTop_OrADuplicateMember_IsRefused()
    {
        Assert.StartsWith(" the file holds a JSON array, not an object", Refusal("[1, 2]"));
        Assert.StartsWith(" member 'y' appears twice", Refusal("""{"y": 1, "y": 2}"""));
    }
}
