namespace Dsl.Runtime.Data;

/// <summary>Reads and checks a one-name-per-line file (barcodes.tsv, features.tsv, genes.tsv).</summary>
public static class NameList
{
    /// <summary>The first tab-separated field of each line: 10x features.tsv has id, symbol and type columns.</summary>
    public static IReadOnlyList<string> Read(string path, string what)
    {
        var names = new List<string>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (line, text) in TextSource.Lines(path))
        {
            if (text.Length == 0) continue;
            var tab = text.IndexOf('\t');
            var name = tab < 0 ? text.Trim() : text[..tab].Trim();
            if (seen.TryGetValue(name, out var first))
                throw Duplicate(path, line, what, name, $"line {first}");
            seen[name] = line;
            names.Add(name);
        }
        if (names.Count == 0) throw new DataFormatException(path, null, $"the file is empty, but it should list one {what} per line", $"write the {what} names, one per line");
        return names;
    }

    /// <summary>Fails on the second occurrence of a name; <paramref name="lineOf"/> maps a list position to its file line.</summary>
    public static void RequireUnique(IReadOnlyList<string> names, string path, string what, Func<int, long> lineOf)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (seen.TryGetValue(names[i], out var first))
                throw Duplicate(path, lineOf(i), what, names[i], $"position {first + 1}");
            seen[names[i]] = i;
        }
    }

    private static DataFormatException Duplicate(string path, long line, string what, string name, string first) =>
        new(path, line, $"{what} name '{name}' repeats the one at {first}", $"{what} names must be unique; rename or merge the duplicates");
}
