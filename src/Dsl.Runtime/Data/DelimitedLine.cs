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

    /// <summary>Tab for .tsv/.tab/.txt files whose first line has a tab; comma otherwise.</summary>
    public static char DelimiterFor(string path, string firstLine)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return ',';
        if (name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tab", StringComparison.OrdinalIgnoreCase)) return '\t';
        return firstLine.Contains('\t') ? '\t' : ',';
    }

    public static string Quote(string field, char delimiter) =>
        field.IndexOfAny([delimiter, '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
