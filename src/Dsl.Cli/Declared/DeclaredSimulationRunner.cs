using System.Globalization;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>What `dsl simulate model.cs` was asked for.</summary>
/// <param name="With">declaration files compiled beside the model's (the bases its model extends)</param>
public sealed record SimulationRequest(
    string ModelPath, string? ModelName, IReadOnlyList<string> Plates, IReadOnlyList<string> Sets, IReadOnlyList<string> Totals, IReadOnlyList<string> Data, ulong Seed, string Out,
    IReadOnlyList<string>? With = null);

/// <summary>
/// `dsl simulate model.cs --plate NAME=SIZE ... [--set NODE=VALUE] [--data FILE] --seed S --out DIR`: ancestral
/// sampling from the declaration. Writes <c>data.json</c> (plate sizes, data and observed nodes: what `dsl fit`
/// reads back), <c>truth.json</c> and <c>truth.csv</c> (every parameter and latent, named as summary.csv names them).
/// </summary>
public static class DeclaredSimulationRunner
{
    public static int Run(SimulationRequest request, TextWriter output, TextWriter error)
    {
        using var loaded = DeclaredModelLoader.Load(request.ModelPath, request.ModelName, error, request.With);
        var model = loaded.Create();
        var descriptor = model.Descriptor;
        var sizes = AssignmentArguments.PlateSizes(request.Plates, descriptor);
        var members = DataArguments.Read(request.Data, descriptor);
        foreach (var binding in members.Select(m => m.Binding).OfType<string>()) output.WriteLine(binding);
        var given = new HashSet<string>(DataBinder.Bind(model, members, request.Data.FirstOrDefault() ?? "--plate", error.WriteLine, sizes, requireData: false).Given);
        foreach (var observed in descriptor.Nodes.Where(n => n.Role == GraphNodeRole.Observed && given.Contains(n.Name)))
            throw new CliException($"{members.First(m => m.Member == observed.Name).Source}: '{observed.Name}' gives the observed node that the simulation draws; remove it");
        var fixedLatents = new Dictionary<string, double[]>();
        foreach (var (name, text) in AssignmentArguments.Parse(request.Sets, "--set"))
        {
            var node = descriptor.Find(name) ?? throw AssignmentArguments.Unknown("--set", name, "node",
                descriptor.Nodes.Where(n => n.IsBindable || n.Role == GraphNodeRole.Latent).Select(n => n.Name));
            if (node.Role is not (GraphNodeRole.Data or GraphNodeRole.Param or GraphNodeRole.Latent))
                throw new CliException($"--set {name}: {name} is {(node.Role == GraphNodeRole.Observed ? "an observed" : $"a {node.Role.ToString().ToLowerInvariant()}")} node, which the simulation draws; set data, parameter and latent nodes only");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new CliException($"--set {name}={text}: not a number");
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var values = new NodeValues(name, shape, Enumerable.Repeat(value, shape.Aggregate(1, (a, b) => a * b)).ToArray());
            // A latent is held at the value instead of drawn from its prior (a chosen hyperparameter, an improper prior).
            if (node.Role == GraphNodeRole.Latent) fixedLatents[name] = DataBinder.Checked(model, node, values, $"--set {name}");
            else DataBinder.Store(model, node, values, $"--set {name}");
            given.Add(name);
        }
        var totals = new Dictionary<string, int>();
        foreach (var (name, text) in AssignmentArguments.Parse(request.Totals, "--total"))
        {
            if (descriptor.Find(name) is not { Role: GraphNodeRole.Observed or GraphNodeRole.Latent })
                throw AssignmentArguments.Unknown("--total", name, "multinomial node", descriptor.Nodes.Where(n => n.Role is GraphNodeRole.Observed or GraphNodeRole.Latent).Select(n => n.Name));
            totals[name] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var total) && total > 0
                ? total : throw new CliException($"--total {name}={text}: the number of trials must be a positive whole number");
        }
        IReadOnlyDictionary<string, double[]> draws;
        try
        {
            foreach (var note in SimulationDefaults.Fill(model, given, request.Seed)) error.WriteLine($"simulate: {note}");
            draws = model.Simulate(request.Seed, new SimulationSettings { Totals = totals, Fixed = fixedLatents });
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
}
