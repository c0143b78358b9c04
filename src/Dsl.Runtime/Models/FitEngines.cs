using Dsl.Runtime.Conjugate;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Models;

/// <summary>
/// The engines a generated model can be fitted by, each known by the interface its generated code implements, and the
/// order in which one is chosen by default. `dsl fit model.cs` and <see cref="ModelFitting"/> choose the same way.
/// </summary>
public static class FitEngines
{
    /// <summary>Each engine, in order of preference: its method name (`--method`), its name, the interface its generated code implements, its generated file.</summary>
    public static readonly IReadOnlyList<(string Method, string Engine, Type Interface, string Hint)> All =
    [
        ("gibbs", ConjugateGibbsFit.Engine, typeof(IConjugateModel), ".Conjugate.g.cs"),
        ("gibbs-em", GibbsEmFit.Engine, typeof(IGibbsEmModel), ".Gibbs.g.cs"),
        ("vi", VariationalFit.Engine, typeof(IVariationalDeclaredModel), ".Elbo.g.cs"),
        ("vi", VariationalFit.Engine, typeof(IJointVariationalDeclaredModel), ".JointVariational.g.cs"),
        ("nuts", SamplingFit.Engine, typeof(ISampledModel), ".Sampler.g.cs"),
        ("lbfgs", PointEstimationFit.Engine, typeof(IPointEstimatedModel), ".Objective.g.cs"),
    ];

    /// <summary>
    /// The engines whose code the generator emitted into a model type, the default first: exact conjugate Gibbs where
    /// the catalogue has an update for every latent, then Gibbs-EM where its rules claim the model, else variational
    /// inference or NUTS. NUTS is emitted beside the Gibbs engines wherever it plans too, and goes first where a Gibbs
    /// engine would be the weaker default: sweeps that draw auxiliary variables or slice steps
    /// (<see cref="IMixedGibbsModel"/>), and Gibbs-EM on a model with no parameter, where there is nothing to maximise
    /// and it would be one chain with no convergence diagnostics.
    /// </summary>
    public static IReadOnlyList<string> Of(Type model)
    {
        var engines = All.Where(m => m.Interface.IsAssignableFrom(model)).Select(m => m.Engine).Distinct().ToList();
        if (!engines.Contains(SamplingFit.Engine)) return engines;
        var weaker = engines.Where(e =>
            e == ConjugateGibbsFit.Engine && typeof(IMixedGibbsModel).IsAssignableFrom(model)
            || e == GibbsEmFit.Engine && !HasParameters(model)).ToList();
        return engines.Except(weaker).Concat(weaker).ToList();
    }

    /// <summary>The engine a method name names, or null.</summary>
    public static string? OfMethod(string method) => All.Where(m => m.Method == method).Select(m => m.Engine).FirstOrDefault();

    /// <summary>The method name of an engine.</summary>
    public static string MethodOf(string engine) => All.First(m => m.Engine == engine).Method;

    public static IEnumerable<string> MethodNames => All.Select(m => m.Method).Distinct();

    /// <summary>Whether the model's descriptor (the static one every generated model has) lists a [Param] node.</summary>
    private static bool HasParameters(Type model) =>
        model.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) is not ModelDescriptor descriptor
        || descriptor.Nodes.Any(n => n.Role == GraphNodeRole.Param);
}
