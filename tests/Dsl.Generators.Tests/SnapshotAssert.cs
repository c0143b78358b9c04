using System.Runtime.CompilerServices;
using System.Text;
using Xunit.Sdk;

namespace Dsl.Generators.Tests;

/// <summary>
/// Snapshot testing without a library. Compares text with <c>Snapshots/&lt;case&gt;/&lt;name&gt;.verified.&lt;ext&gt;</c>;
/// on a difference writes <c>.received.</c> beside it and fails with the first differing lines. Setting
/// DSL_ACCEPT_SNAPSHOTS=1 accepts the new text, except under CI=true, where baselines must already be committed.
/// </summary>
public static class SnapshotAssert
{
    public static string Folder([CallerFilePath] string file = "") => Path.Combine(Path.GetDirectoryName(file)!, "Snapshots");

    public static void Match(string actual, string caseName, string name, string extension, [CallerFilePath] string file = "")
    {
        var directory = Path.Combine(Folder(file), caseName);
        var verified = Path.Combine(directory, $"{name}.verified.{extension}");
        var received = Path.Combine(directory, $"{name}.received.{extension}");
        actual = Normalize(actual);
        var expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(directory);
        if (Accepting)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot at {verified}. Review {received} and accept it with DSL_ACCEPT_SNAPSHOTS=1."
            : $"Snapshot differs from {verified}:\n{Diff(expected, actual)}\nReceived: {received}\nAccept with DSL_ACCEPT_SNAPSHOTS=1 after review.");
    }

    /// <summary>Accepting is refused on CI so a missing or stale baseline always fails there.</summary>
    public static bool Accepting =>
        Environment.GetEnvironmentVariable("DSL_ACCEPT_SNAPSHOTS") == "1"
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Normalize(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    /// <summary>The first 20 differing lines, numbered, expected above actual.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var report = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(a.Length, b.Length) && shown < 20; i++)
        {
            var left = i < a.Length ? a[i] : "<missing>";
            var right = i < b.Length ? b[i] : "<missing>";
            if (left == right) continue;
            report.Append($"  line {i + 1}:\n    expected: {left}\n    actual:   {right}\n");
            shown++;
        }
        return report.ToString();
    }
}
