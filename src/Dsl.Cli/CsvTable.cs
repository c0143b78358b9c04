using System.Globalization;
using System.Text;
using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>Writes a named table as CSV (header row, first column of names), atomically.</summary>
public static class CsvTable
{
    public static void Write(string path, string corner, IReadOnlyList<string> columns, IReadOnlyList<string> rows, Func<int, int, double> value)
    {
        var text = new StringBuilder();
        text.Append(Quote(corner));
        foreach (var c in columns) text.Append(',').Append(Quote(c));
        text.Append('\n');
        for (var r = 0; r < rows.Count; r++)
        {
            text.Append(Quote(rows[r]));
            for (var c = 0; c < columns.Count; c++) text.Append(',').Append(value(r, c).ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        AtomicFile.WriteText(path, text.ToString());
    }

    public static string Quote(string name) => name.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name;

    public static IReadOnlyList<string> Names(string prefix, int count) => Enumerable.Range(0, count).Select(n => prefix + n).ToList();
}
