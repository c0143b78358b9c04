using System.Globalization;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>NAME=VALUE arguments (--plate, --set, --total), and --plate's sizes checked against the model's plates.</summary>
public static class AssignmentArguments
{
    public static Dictionary<string, int> PlateSizes(IReadOnlyList<string> arguments, ModelDescriptor descriptor)
    {
        var sizes = new Dictionary<string, int>();
        foreach (var (plate, text) in Parse(arguments, "--plate"))
        {
            if (!descriptor.HasPlate(plate)) throw Unknown("--plate", plate, "plate", descriptor.Plates);
            sizes[plate] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                ? size : throw new CliException($"--plate {plate}={text}: the size must be a whole number of 0 or more");
        }
        return sizes;
    }

    public static IEnumerable<(string Name, string Value)> Parse(IReadOnlyList<string> arguments, string option)
    {
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=');
            if (equals <= 0 || equals == argument.Length - 1) throw new CliException($"{option} {argument}: write NAME=VALUE");
            yield return (argument[..equals], argument[(equals + 1)..]);
        }
    }

    public static CliException Unknown(string option, string name, string what, IEnumerable<string> candidates)
    {
        var list = candidates.ToList();
        var closest = ClosestName.Find(name, list);
        return new CliException($"{option} {name}: the model has no {what} '{name}'{(closest is null ? "" : $"; did you mean '{closest}'?")} ({string.Join(", ", list)})");
    }
}
