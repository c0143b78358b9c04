namespace Dsl.Runtime.Models;

/// <summary>
/// What every generated model offers whatever engine fits it (the generator implements it in
/// <c>{Model}.Binding.g.cs</c>): plate sizes, its nodes' values by name as flat row-major arrays, generated starting
/// values and ancestral simulation. Names are the declaration's own; nothing here guesses.
/// </summary>
public interface IDeclaredModel
{
    ModelDescriptor Descriptor { get; }

    int GetPlateSize(string plate);

    void SetPlateSize(string plate, int size);

    /// <summary>
    /// Stores a data, observed or parameter node's values, row-major over its plates in declared order (plate-index
    /// values 0-based). The caller has checked the length against the plate sizes.
    /// </summary>
    void Store(string node, ReadOnlySpan<double> values);

    /// <summary>
    /// Stores an observed count node's sparse matrix as it is (rows over its first plate), without a dense copy; throws
    /// for a node not stored as counts or a matrix whose shape is not the plates'.
    /// </summary>
    void StoreCounts(string node, Data.CountMatrix counts);

    /// <summary>
    /// Copies a node's current values, row-major: a parameter's estimate, data and observed values, and a latent's
    /// current draw where the engine keeps one. False where the node has no stored value.
    /// </summary>
    bool TryRead(string node, Span<double> destination);

    /// <summary>
    /// A real-valued deterministic node (Stan's transformed parameter), row-major, at the latents' values given by name
    /// and the stored parameters and data. False for one that reads observed values, a network, or holds plate indices.
    /// </summary>
    bool TryEvaluate(string node, IReadOnlyDictionary<string, double[]> latents, Span<double> destination);

    /// <summary>Every parameter at a starting value its constraints allow: 0, 1 where positive (at least the floor), uniform on a simplex.</summary>
    void InitializeParameters();

    /// <summary>
    /// Ancestral sampling from the declaration at the current data and parameters: every latent and observed node in
    /// dependency order, row-major. Throws <see cref="NotSupportedException"/> naming the node where a model holds
    /// one that cannot be simulated (a network).
    /// </summary>
    IReadOnlyDictionary<string, double[]> Simulate(ulong seed, SimulationSettings settings);
}

/// <summary>What a declaration does not say but a simulation needs.</summary>
public sealed record SimulationSettings
{
    /// <summary>Trials of each multinomial node's rows, by node name; <see cref="DefaultTotal"/> otherwise.</summary>
    public IReadOnlyDictionary<string, int> Totals { get; init; } = new Dictionary<string, int>();

    public int DefaultTotal { get; init; } = 1000;

    public int TotalOf(string node) => Totals.TryGetValue(node, out var total) ? total : DefaultTotal;

    /// <summary>
    /// Draw a latent with an improper prior (Flat, HalfFlat) from Stan's initialisation, Uniform(−2, 2) on its
    /// unconstrained scale, instead of refusing: for a sampler's chain starts, never for data.
    /// </summary>
    public bool ImproperAsStarts { get; init; }

    /// <summary>
    /// Latents held at given values (row-major, plate indices 0-based) instead of drawn, by node name: a simulation at
    /// chosen hyperparameters, or from a model whose prior is improper. Every other node's draws stay those of the seed.
    /// </summary>
    public IReadOnlyDictionary<string, double[]> Fixed { get; init; } = new Dictionary<string, double[]>();
}

/// <summary>Sizes read off a declared model's plates.</summary>
public static class DeclaredModelSizes
{
    /// <summary>The number of entries of a node: the product of its plates' sizes.</summary>
    public static int EntriesOf(this IDeclaredModel model, string node) =>
        model.Descriptor.Find(node)!.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => checked(a * b));
}
