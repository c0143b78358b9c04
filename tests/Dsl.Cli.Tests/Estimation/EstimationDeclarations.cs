using Dsl.Compiler;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Random;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Estimation;

/// <summary>tests/declarations/Estimation.cs compiled once for the maximum-likelihood tests, with helpers to give its models data.</summary>
public sealed class EstimationDeclarations : IDisposable
{
    private readonly CompiledModels compiled = Compile();

    private static CompiledModels Compile()
    {
        var compiled = ModelCompiler.Compile([RepoPaths.Estimation]);
        if (!compiled.Succeeded) throw new InvalidOperationException(string.Join("\n", compiled.Messages));
        return compiled;
    }

    public IReadOnlyList<string> Models => compiled.ModelTypes.Select(t => t.Name).Order().ToList();

    public IPointEstimatedModel Create(string name) => (IPointEstimatedModel)Activator.CreateInstance(compiled.ModelTypes.Single(t => t.Name == name))!;

    /// <summary>
    /// A model with the given plate sizes, data nodes filled (reals in [0.5, 1.5], a 0/1 mask with 70 % ones),
    /// parameters drawn from N(0, 0.5²) (positive ones from exp of that; a simplex uniform), and its observations
    /// simulated from itself.
    /// </summary>
    public IPointEstimatedModel Simulated(string name, IReadOnlyDictionary<string, int> plates, ulong seed)
    {
        var model = Create(name);
        foreach (var (plate, size) in plates) model.SetPlateSize(plate, size);
        var random = new RandomStream(seed, 0);
        var descriptor = model.Descriptor;
        double[] Values(Runtime.Models.NodeDescriptor node) => new double[node.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)];
        foreach (var node in descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Data))
        {
            var values = Values(node);
            for (var e = 0; e < values.Length; e++) values[e] = node.IsInteger ? (random.NextDouble() < 0.7 ? 1 : 0) : 0.5 + random.NextDouble();
            model.Store(node.Name, values);
        }
        model.InitializeParameters();
        foreach (var node in descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Param && n.SimplexOver is null))
        {
            var values = Values(node);
            for (var e = 0; e < values.Length; e++)
            {
                var u = 0.5 * random.NextNormal();
                values[e] = node.Support == Runtime.Models.ValueSupport.Positive ? (node.Floor ?? 0) + Math.Exp(u) : u;
            }
            model.Store(node.Name, values);
        }
        var drawn = model.Simulate(seed, new Runtime.Models.SimulationSettings());
        foreach (var node in descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Observed)) model.Store(node.Name, drawn[node.Name]);
        return model;
    }

    public void Dispose() => compiled.Dispose();
}
