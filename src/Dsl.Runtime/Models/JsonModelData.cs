using System.Globalization;
using System.Text;
using System.Text.Json;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Models;

/// <summary>
/// Data files in Stan's (CmdStan's) JSON convention: one member per node or plate, holding a number, an array, or
/// arrays of arrays (row-major); integers as plain numbers, plate indices 1-based.
/// </summary>
public static class JsonModelData
{
    public static IReadOnlyList<NodeValues> Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, "file not found", "pass the path of a JSON data file");
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, e.LineNumber + 1, $"not valid JSON ({FirstSentence(e.Message)})", "write the data as one JSON object with a member per node, as CmdStan reads it");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, null, $"the file holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object",
                    "write the data as one JSON object with a member per node, e.g. {\"y\": [0, 1, 1]}");
            var members = new List<NodeValues>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(member.Name)) throw new DataFormatException(path, null, $"member '{member.Name}' appears twice", "keep one of them");
                members.Add(ReadMember(path, member.Name, member.Value));
            }
            return members;
        }
    }

    private static NodeValues ReadMember(string path, string name, JsonElement value)
    {
        var shape = new List<int>();
        for (var probe = value; probe.ValueKind == JsonValueKind.Array; probe = probe.GetArrayLength() > 0 ? probe[0] : default)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0) break;
        }
        var values = new List<double>();
        Collect(path, name, value, shape, 0, values, []);
        return new NodeValues(name, shape.ToArray(), values.ToArray());
    }

    private static void Collect(string path, string name, JsonElement value, List<int> shape, int depth, List<double> values, List<int> at)
    {
        if (depth < shape.Count)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != shape[depth])
                throw new DataFormatException(path, null,
                    $"member '{name}' is ragged: {Place(name, at)} holds {Describe(value)} where its first entry holds an array of {shape[depth]}",
                    "give every row the same length (one array per row, row-major)");
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                at.Add(++index);
                Collect(path, name, item, shape, depth + 1, values, at);
                at.RemoveAt(at.Count - 1);
            }
            return;
        }
        if (value.ValueKind != JsonValueKind.Number)
            throw new DataFormatException(path, null, $"{Place(name, at)} is {Describe(value)}, not a number",
                value.ValueKind == JsonValueKind.Array ? "give every row the same depth of nesting" : "write numbers only (no quotes, no null)");
        values.Add(value.GetDouble());
    }

    /// <summary>CmdStan's name of an element: <c>y[3,2]</c>, 1-based.</summary>
    public static string Place(string name, IReadOnlyList<int> at) => at.Count == 0 ? name : $"{name}[{string.Join(",", at)}]";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => $"an array of {value.GetArrayLength()}",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => value.ValueKind.ToString().ToLowerInvariant(),
        JsonValueKind.Object => "an object",
        _ => value.GetRawText(),
    };

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');

    /// <summary>Writes members in the same convention; integer-valued members as integers (plate indices as given: the caller makes them 1-based).</summary>
    public static void Write(string path, IEnumerable<NodeValues> members)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            writer.Write('{');
            var first = true;
            foreach (var member in members)
            {
                writer.Write(first ? "\n  " : ",\n  ");
                first = false;
                writer.Write(JsonSerializer.Serialize(member.Member));
                writer.Write(": ");
                var position = 0;
                WriteNested(writer, member, 0, ref position);
            }
            writer.Write("\n}\n");
        });
    }

    private static void WriteNested(TextWriter writer, NodeValues member, int depth, ref int position)
    {
        if (depth == member.Shape.Length)
        {
            var value = member.Values[position++];
            if (!double.IsFinite(value)) throw new ArgumentException($"{member.Member} holds {value}, which JSON cannot carry");
            writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            return;
        }
        writer.Write('[');
        for (var n = 0; n < member.Shape[depth]; n++)
        {
            if (n > 0) writer.Write(depth + 1 == member.Shape.Length ? ", " : ",\n    ");
            WriteNested(writer, member, depth + 1, ref position);
        }
        writer.Write(']');
    }
}
