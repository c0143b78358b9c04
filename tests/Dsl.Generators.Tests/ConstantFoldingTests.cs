using System.Text.RegularExpressions;
using Dsl.Generators.Emit;

namespace Dsl.Generators.Tests;

/// <summary>
/// Generated code folds the constants its emitters assemble: a width of one or zero, a prior's zero, an offset of zero
/// (<see cref="CodeFolding.Plus"/>, <see cref="CodeFolding.Times"/>), so it reads as the math it states.
/// </summary>
public sealed partial class ConstantFoldingTests
{
    public static TheoryData<string> Models => SnapshotTests.Models;

    [Theory]
    [InlineData("0", "x", "x")]
    [InlineData("0.0", "x", "x")]
    [InlineData("x", "0", "x")]
    [InlineData("x", "y", "x + y")]
    [InlineData("x", "0.5", "x + 0.5")]
    [InlineData("10", "x", "10 + x")]
    public void Plus_DropsALiteralZero_Only(string left, string right, string folded) => Assert.Equal(folded, CodeFolding.Plus(left, right));

    [Theory]
    [InlineData("rows", "1", "rows")]
    [InlineData("1.0", "x", "x")]
    [InlineData("rows", "0", "0")]
    [InlineData("rows", "width", "rows * width")]
    [InlineData("rows", "10", "rows * 10")]
    [InlineData("rows", "1e3", "rows * 1e3")]
    public void Times_DropsALiteralOne_AndFoldsZero(string left, string right, string folded) => Assert.Equal(folded, CodeFolding.Times(left, right));

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedCode_HasNoUnfoldedWidthsPriorsOrOffsets(string model)
    {
        var unfolded = SnapshotTests.RunModel(model).Files
            .SelectMany(file => file.Text.Split('\n').Select((line, i) => (file.HintName, Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && Unfolded().IsMatch(l.Text))
            .Select(l => $"{l.HintName}({l.Line}): {l.Text}").ToList();

        Assert.True(unfolded.Count == 0, string.Join("\n", unfolded));
    }

    /// <summary>rows * 1, row * 0, elements[row] * 1; 0.0 + x; x + 0]; x * 0.0; an adjoint's 1.0 * x or x * 1.0.</summary>
    [GeneratedRegex(@"\b(rows?|elements\[row\]) \* [01](?![\w.])|(?<![\w.])0\.0 \+ | \+ 0\]| \* [01]\.0(?![\w.])|(?<![\w.)-])1\.0 \* ")]
    private static partial Regex Unfolded();
}
