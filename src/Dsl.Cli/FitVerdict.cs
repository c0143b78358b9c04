using Dsl.Compiler;

namespace Dsl.Cli;

/// <summary>
/// One line per model saying what will fit it: the engine whose code the generator emitted, or that none did and the
/// planning warning that says which node stops it. `dsl check` and `dsl graph` print it, so a model never passes
/// the checker silently without inference.
/// </summary>
public static class FitVerdict
{
    /// <summary>From a compilation's generated files (hint names NAMESPACE.Model.Gibbs.g.cs / .Elbo.g.cs / .Sampler.g.cs / .Objective.g.cs) and its messages.</summary>
    public static IEnumerable<string> Lines(CompiledModels compiled)
    {
        var hints = compiled.GeneratedSources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        foreach (var graph in hints.Where(h => h.EndsWith(".Graph.g.cs", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var stem = graph[..^".Graph.g.cs".Length];
            var name = stem[(stem.LastIndexOf('.') + 1)..];
            // A loaded model orders its engines by what it is (Engines); without the assembly, by the generated files alone.
            var type = compiled.ModelTypes.FirstOrDefault(t => t.FullName == stem);
            var engines = type is not null ? Engines(type) : Methods.Where(m => hints.Contains(stem + m.Hint)).Select(m => m.Engine).Distinct().ToList();
            var reason = compiled.Messages.FirstOrDefault(m => m.Id.StartsWith("DSL04", StringComparison.Ordinal) && m.Message.Contains($"Model '{name}'"));
            yield return Line(name, engines, reason is null ? null : $"warning {reason.Id} at {Path.GetFileName(reason.Path)}({reason.Line},{reason.Column})");
        }
    }

    /// <summary>From a loaded model type (a bundled model: no compilation messages to quote).</summary>
    public static string Line(Type model) => Line(model.Name, Engines(model), null);

    /// <summary>The default engine of a loaded model type (the first of <see cref="Engines"/>), or null.</summary>
    public static string? Engine(Type model) => Engines(model).FirstOrDefault();

    /// <summary>
    /// The engines whose code the generator emitted into a loaded model type, the default first: exact conjugate Gibbs
    /// where the catalogue has an update for every latent, then Gibbs-EM where its rules claim the model, else
    /// variational inference or NUTS. NUTS is emitted beside the Gibbs engines wherever it plans too, and goes first
    /// where a Gibbs engine would be the weaker default: sweeps that draw auxiliary variables
    /// or slice steps (<see cref="Runtime.Conjugate.IMixedGibbsModel"/>), and Gibbs-EM on a model with no parameter, where
    /// there is nothing to maximise and it would be one chain with no convergence diagnostics.
    /// </summary>
    public static IReadOnlyList<string> Engines(Type model)
    {
        var engines = Methods.Where(m => m.Interface.IsAssignableFrom(model)).Select(m => m.Engine).Distinct().ToList();
        if (!engines.Contains(Runtime.Models.SamplingFit.Engine)) return engines;
        var weaker = engines.Where(e =>
            e == Runtime.Models.ConjugateGibbsFit.Engine && typeof(Runtime.Conjugate.IMixedGibbsModel).IsAssignableFrom(model)
            || e == Runtime.Models.GibbsEmFit.Engine && !HasParameters(model)).ToList();
        return engines.Except(weaker).Concat(weaker).ToList();
    }

    /// <summary>Whether the model's descriptor (the static one every generated model has) lists a [Param] node.</summary>
    private static bool HasParameters(Type model) =>
        model.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) is not Runtime.Models.ModelDescriptor descriptor
        || descriptor.Nodes.Any(n => n.Role == Runtime.Graph.GraphNodeRole.Param);

    /// <summary>`--method NAME`: the engine it names, or null.</summary>
    public static string? EngineOfMethod(string method) => Methods.Where(m => m.Name == method).Select(m => m.Engine).FirstOrDefault();

    /// <summary>The `--method` name of an engine.</summary>
    public static string MethodOf(string engine) => Methods.First(m => m.Engine == engine).Name;

    public static IEnumerable<string> MethodNames => Methods.Select(m => m.Name).Distinct();

    /// <summary>Each engine, in order of preference: its --method name, the interface its generated code implements, its generated file.</summary>
    private static readonly (string Name, string Engine, Type Interface, string Hint)[] Methods =
    [
        ("gibbs", Runtime.Models.ConjugateGibbsFit.Engine, typeof(Runtime.Conjugate.IConjugateModel), ".Conjugate.g.cs"),
        ("gibbs-em", Runtime.Models.GibbsEmFit.Engine, typeof(Runtime.Inference.IGibbsEmModel), ".Gibbs.g.cs"),
        ("vi", Runtime.Models.VariationalFit.Engine, typeof(Runtime.Variational.IVariationalDeclaredModel), ".Elbo.g.cs"),
        ("vi", Runtime.Models.VariationalFit.Engine, typeof(Runtime.Variational.IJointVariationalDeclaredModel), ".JointVariational.g.cs"),
        ("nuts", Runtime.Models.SamplingFit.Engine, typeof(Runtime.Hmc.ISampledModel), ".Sampler.g.cs"),
        ("lbfgs", Runtime.Models.PointEstimationFit.Engine, typeof(Runtime.Optimisation.IPointEstimatedModel), ".Objective.g.cs"),
    ];

    private static string Line(string model, IReadOnlyList<string> engines, string? reason) => engines.Count switch
    {
        0 => $"model {model}: not fitted, no engine's rules cover it ({reason ?? "dsl check on its file says which node stops it"})",
        1 => $"model {model}: fitted by {engines[0]}",
        _ => $"model {model}: fitted by {engines[0]} (also {string.Join(", ", engines.Skip(1).Select(e => $"{e} with --method {MethodOf(e)}"))})",
    };
}
