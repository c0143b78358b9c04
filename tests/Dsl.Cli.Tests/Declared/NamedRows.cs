using System.Globalization;

namespace Dsl.Cli.Tests.Declared;

/// <summary>summary.csv and truth.csv read back: rows named by entry (a quoted name with a comma, A[3,2], kept whole).</summary>
internal static class NamedRows
{
    public static IEnumerable<string[]> Read(string path) =>
        File.ReadLines(path).Skip(1).Select(line =>
        {
            if (!line.StartsWith('"')) return line.Split(',');
            var close = line.IndexOf('"', 1);
            return new[] { line[1..close] }.Concat(line[(close + 2)..].Split(',')).ToArray();
        });

    /// <summary>Every entry's numbers, by entry name.</summary>
    public static Dictionary<string, double[]> Numbers(string path) =>
        Read(path).ToDictionary(r => r[0], r => r.Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());

    /// <summary>One column (1 = the first after the name) by entry name.</summary>
    public static Dictionary<string, double> Column(string path, int column) => Numbers(path).ToDictionary(p => p.Key, p => p.Value[column - 1]);
}
