using System.Text.RegularExpressions;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>
/// The <c>--data</c> arguments of `dsl fit model.cs` and `dsl simulate model.cs`: a JSON data file (a member per
/// node), or one node's own file, <c>NODE=FILE</c>, <c>NODE[RowPlate,ColumnPlate]=FILE</c> or <c>NODE=FILE:COLUMN</c>.
/// </summary>
public static partial class DataArguments
{
    [GeneratedRegex(@"^(?<node>[A-Za-z_][A-Za-z0-9_]*)(\[(?<plates>[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\])?=(?<path>.+)$")]
    private static partial Regex NodeBinding();

    public static IReadOnlyList<NodeValues> Read(IReadOnlyList<string> arguments, ModelDescriptor descriptor)
    {
        var members = new List<NodeValues>();
        foreach (var argument in arguments)
        {
            var match = NodeBinding().Match(argument);
            if (!match.Success || File.Exists(argument))
            {
                members.AddRange(JsonModelData.Read(argument).Select(m => m with { Source = argument }));
                continue;
            }
            var name = match.Groups["node"].Value;
            var node = descriptor.Find(name);
            if (node is not { IsBindable: true })
            {
                var closest = ClosestName.Find(name, descriptor.Nodes.Where(n => n.IsBindable).Select(n => n.Name));
                throw new CliException(node is null
                    ? $"--data {argument}: {descriptor.Name} has no node '{name}'{(closest is null ? "" : $"; did you mean '{closest}'?")}"
                    : $"--data {argument}: '{name}' is a {node.Role.ToString().ToLowerInvariant()} node, which the fit infers; give data, observed and parameter nodes only");
            }
            var (path, column) = PathAndColumn(match.Groups["path"].Value);
            var plates = match.Groups["plates"].Success ? match.Groups["plates"].Value.Split(',').Select(p => p.Trim()).ToList() : null;
            if (plates is not null && !plates.Order(StringComparer.Ordinal).SequenceEqual(node.Plates.Order(StringComparer.Ordinal)))
                throw new CliException($"--data {argument}: {node.Signature} spans {string.Join(", ", node.Plates)}; name those plates in the brackets, the rows' plate first");
            members.Add(NodeFileReader.Read(node, path, column, plates?[0]));
        }
        return members;
    }

    /// <summary>FILE:COLUMN where FILE exists and FILE:COLUMN does not; otherwise the whole text is the path.</summary>
    private static (string Path, string? Column) PathAndColumn(string text)
    {
        var colon = text.LastIndexOf(':');
        if (File.Exists(text) || Directory.Exists(text) || colon <= 0 || !File.Exists(text[..colon])) return (text, null);
        return (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The members' names, shapes and values, in order: what a checkpoint records to recognise its data.</summary>
    public static string Fingerprint(IReadOnlyList<NodeValues> members)
    {
        using var fingerprint = new DataFingerprint();
        foreach (var member in members)
        {
            fingerprint.Add(member.Member, member.Shape, member.Values);
            foreach (var axis in member.Labels ?? []) fingerprint.Add(member.Member, axis);
            fingerprint.Add(member.Member, member.ValueLabels);
        }
        return fingerprint.Finish();
    }
}
