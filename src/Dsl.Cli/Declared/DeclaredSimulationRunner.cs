using System.Globalization;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>What `dsl simulate model.cs` was asked for.</summary>
public sealed record SimulationRequest(
    string ModelPath, string? ModelName, IReadOnlyList<string> Plates, IReadOnlyList<string> Sets, IReadOnlyList<string> Totals, string? DataPath, ulong Seed, string Out);

/// <summary>
/// `dsl simulate model.cs --plate NAME=SIZE ... [--set NODE=VALUE] [--data FILE] --seed S --out DIR`: ancestral
/// sampling from the declaration. Writes <c>data.json</c> (plate sizes, data and observed nodes: what `dsl fit`
/// reads back), <c>truth.json</c> and <c>truth.csv</c> (every parameter and latent, named as summary.csv names them).
/// </summary>
public static class DeclaredSimulationRunner
{
    public static int Run(SimulationRequest request, TextWriter output, TextWriter error)
    {
        using var loaded = DeclaredModelLoader.Load(request.ModelPath, request.ModelName, error);
        var model = loaded.Create();
        var descriptor = model.Descriptor;
        var sizes = new Dictionary<string, int>();
        foreach (var (plate, text) in Assignments(request.Plates, "--plate"))
        {
            if (!descriptor.HasPlate(plate)) throw Unknown("--plate", plate, "plate", descriptor.Plates);
            sizes[plate] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                ? size : throw new CliException($"--plate {plate}={text}: the size must be a whole number of 0 or more");
        }
        var members = request.DataPath is null ? [] : JsonModelData.Read(request.DataPath);
        var given = new HashSet<string>(DataBinder.Bind(model, members, request.DataPath ?? "--plate", error.WriteLine, sizes, requireData: false));
        foreach (var observed in descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Observed && given.Contains(n.Name)))
            throw new CliException($"{request.DataPath}: member '{observed.Name}' gives the observed node that the simulation draws; remove it");
        foreach (var (name, text) in Assignments(request.Sets, "--set"))
        {
            var node = descriptor.Find(name) ?? throw Unknown("--set", name, "node", descriptor.Nodes.Where(n => n.IsBindable).Select(n => n.Name));
            if (node.Role is not (GraphNodeRole.Data or GraphNodeRole.Param))
                throw new CliException($"--set {name}: {name} is a {node.Role.ToString().ToLowerInvariant()} node, which the simulation draws; set data and parameter nodes only");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new CliException($"--set {name}={text}: not a number");
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            DataBinder.Store(model, node, new NodeValues(name, shape, Enumerable.Repeat(value, shape.Aggregate(1, (a, b) => a * b)).ToArray()), $"--set {name}");
            given.Add(name);
        }
        var totals = new Dictionary<string, int>();
        foreach (var (name, text) in Assignments(request.Totals, "--total"))
        {
            if (descriptor.Find(name) is not { Role: GraphNodeRole.Observed or GraphNodeRole.Latent })
                throw Unknown("--total", name, "multinomial node", descriptor.Nodes.Where(n => n.Role is GraphNodeRole.Observed or GraphNodeRole.Latent).Select(n => n.Name));
            totals[name] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var total) && total > 0
                ? total : throw new CliException($"--total {name}={text}: the number of trials must be a positive whole number");
        }
        IReadOnlyDictionary<string, double[]> draws;
        try
        {
            foreach (var note in SimulationDefaults.Fill(model, given, request.Seed)) error.WriteLine($"simulate: {note}");
            draws = model.Simulate(request.Seed, new SimulationSettings { Totals = totals });
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
        catch (NotSupportedException e) { throw new CliException($"{request.ModelPath}: {e.Message}"); }
        var plates = descriptor.Plates.ToDictionary(p => p, model.GetPlateSize);
        OutputFolder.Write(request.Out, "simulate", folder =>
        {
            JsonModelData.Write(folder.File("data.json"), plates.Select(p => new NodeValues(p.Key, [], [p.Value]))
                .Concat(descriptor.Nodes.Where(n => n.Role is GraphNodeRole.Data or GraphNodeRole.Observed).Select(n => Values(model, n, draws))));
            var truth = descriptor.Nodes.Where(n => n.Role is GraphNodeRole.Param or GraphNodeRole.Latent).Select(n => Values(model, n, draws)).ToList();
            JsonModelData.Write(folder.File("truth.json"), truth);
            var names = truth.SelectMany(t => Enumerable.Range(0, t.Values.Length).Select(e => DeclaredOutputWriter.EntryName(t.Member, t.Shape, e))).ToList();
            var values = truth.SelectMany(t => t.Values).ToArray();
            CsvTable.Write(folder.File("truth.csv"), "name", ["value"], names, (r, _) => values[r]);
        });
        output.WriteLine($"simulated {loaded.Name} ({string.Join(", ", plates.Select(p => $"{p.Key} {p.Value}"))}, seed {request.Seed}) into {Path.GetFullPath(request.Out)}: data.json, truth.json, truth.csv");
        return 0;
    }

    /// <summary>A node's values as a data file holds them: drawn or stored, plate indices 1-based.</summary>
    private static NodeValues Values(IDeclaredModel model, NodeDescriptor node, IReadOnlyDictionary<string, double[]> draws)
    {
        var shape = node.Plates.Select(model.GetPlateSize).ToArray();
        var values = draws.TryGetValue(node.Name, out var drawn) ? (double[])drawn.Clone() : new double[shape.Aggregate(1, (a, b) => a * b)];
        if (drawn is null && !model.TryRead(node.Name, values)) throw new InvalidOperationException($"'{node.Name}' has no value after simulation");
        if (node.Support == ValueSupport.PlateIndex) for (var n = 0; n < values.Length; n++) values[n] += 1;
        return new NodeValues(node.Name, shape, values);
    }

    private static IEnumerable<(string Name, string Value)> Assignments(IReadOnlyList<string> arguments, string option)
    {
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=');
            if (equals <= 0 || equals == argument.Length - 1) throw new CliException($"{option} {argument}: write NAME=VALUE");
            yield return (argument[..equals], argument[(equals + 1)..]);
        }
    }

    private static CliException Unknown(string option, string name, string what, IEnumerable<string> candidates)
    {
        var list = candidates.ToList();
        var closest = ClosestName.Find(name, list);
        return new CliException($"{option} {name}: the model has no {what} '{name}'{(closest is null ? "" : $"; did you mean '{closest}'?")} ({string.Join(", ", list)})");
    }
}
