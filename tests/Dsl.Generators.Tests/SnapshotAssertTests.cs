using Dsl.Tests.Shared;
using Xunit.Sdk;

namespace Dsl.Generators.Tests;

/// <summary>The snapshot mechanism itself: a mismatch fails with a diff and leaves a .received file.</summary>
public sealed class SnapshotAssertTests
{
    [Fact]
    public void Mismatch_WritesReceived_AndFailsWithTheDifferingLine()
    {
        using var temp = new TempFolder();
        var fakeTestFile = Path.Combine(temp.Path, "FakeTests.cs");
        var verified = temp.File("Snapshots/Case/out.verified.txt", "line one\nline two\n");

        var failure = Record.Exception(() => SnapshotAssert.Match("line one\nline 2\n", "Case", "out", "txt", fakeTestFile));

        if (SnapshotAssert.Accepting)
        {
            Assert.Null(failure); // a developer run with DSL_ACCEPT_SNAPSHOTS=1 rewrites the baseline instead
            Assert.Equal("line one\nline 2\n", File.ReadAllText(verified));
            return;
        }
        var exception = Assert.IsType<XunitException>(failure);
        Assert.Contains("line 2:\n    expected: line two\n    actual:   line 2", exception.Message);
        Assert.Equal("line one\nline 2\n", File.ReadAllText(Path.Combine(temp.Path, "Snapshots/Case/out.received.txt")));
    }

    [Fact]
    public void Match_IgnoresLineEndingsAndTrailingSpace_AndRemovesStaleReceived()
    {
        using var temp = new TempFolder();
        var fakeTestFile = Path.Combine(temp.Path, "FakeTests.cs");
        temp.File("Snapshots/Case/out.verified.txt", "a\nb\n");
        var received = temp.File("Snapshots/Case/out.received.txt", "stale");

        SnapshotAssert.Match("a  \r\nb", "Case", "out", "txt", fakeTestFile);

        Assert.False(File.Exists(received));
    }

    [Fact]
    public void Accepting_IsRefusedOnCi()
    {
        // Under CI=true (as .ci/run sets it) accepting is off whatever DSL_ACCEPT_SNAPSHOTS says.
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.False(SnapshotAssert.Accepting);
        else
            Assert.Equal(Environment.GetEnvironmentVariable("DSL_ACCEPT_SNAPSHOTS") == "1", SnapshotAssert.Accepting);
    }
}
