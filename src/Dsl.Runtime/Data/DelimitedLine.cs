using System.Text;

namespace Dsl.Runtime.Data;

/// <summary>Splits one CSV/TSV line into fields, honouring double quotes ("a,b" and "" inside quotes).</summary>
public static class DelimitedLine
{
    public static List<string> Split(string line, char delimiter)
    {
        var fields = new List<string>();
        if (line.IndexOf('"') < 0)
        {
            fields.AddRange(line.Split(delimiter));
            return fields;
        }
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == delimiter) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// Comma for .csv, tab for .tsv/.tab, else tab when the first line has one. A file whose name promises one
    /// delimiter but whose first line holds only the other is refused, naming what was found: read with the named
    /// delimiter every row would be one field, and the error would point at the values instead of the separator.
    /// </summary>
    public static char DelimiterFor(string path, string firstLine, long line = 1)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return Expect(',', '\t', "commas", "tabs", ".tsv");
        if (name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tab", StringComparison.OrdinalIgnoreCase))
            return Expect('\t', ',', "tabs", "commas", ".csv");
        return firstLine.Contains('\t') ? '\t' : ',';

        char Expect(char named, char other, string namedWord, string otherWord, string rename) =>
            firstLine.Contains(other) && !firstLine.Contains(named)
                ? throw new DataFormatException(path, line, $"the file's name says its fields are separated by {namedWord}, but its first line holds {otherWord} and no {namedWord}",
                    $"rename it to {rename} (or write it with {namedWord})")
                : named;
    }

    public static string Quote(string field, char delimiter) =>
        field.IndexOfAny([delimiter, '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
