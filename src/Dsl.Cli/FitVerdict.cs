using Dsl.Compiler;

namespace Dsl.Cli;

/// <summary>
/// One line per model saying what will fit it: the engine whose code the generator emitted, or that none did and the
/// planning warning that says which node stops it. `dsl check` and `dsl graph` print it, so a model never passes
/// the checker silently without inference.
/// </summary>
public static class FitVerdict
{
    /// <summary>From a compilation's generated files (hint names NAMESPACE.Model.Gibbs.g.cs / .Elbo.g.cs / .Sampler.g.cs) and its messages.</summary>
    public static IEnumerable<string> Lines(CompiledModels compiled)
    {
        var hints = compiled.GeneratedSources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        foreach (var graph in hints.Where(h => h.EndsWith(".Graph.g.cs", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var stem = graph[..^".Graph.g.cs".Length];
            var name = stem[(stem.LastIndexOf('.') + 1)..];
            var engine = hints.Contains(stem + ".Gibbs.g.cs") ? Runtime.Models.GibbsEmFit.Engine : hints.Contains(stem + ".Elbo.g.cs") ? Runtime.Models.VariationalFit.Engine
                : hints.Contains(stem + ".Sampler.g.cs") ? Runtime.Models.SamplingFit.Engine : null;
            var reason = compiled.Messages.FirstOrDefault(m => m.Id.StartsWith("DSL04", StringComparison.Ordinal) && m.Message.Contains($"Model '{name}'"));
            yield return Line(name, engine, reason is null ? null : $"warning {reason.Id} at {Path.GetFileName(reason.Path)}({reason.Line},{reason.Column})");
        }
    }

    /// <summary>From a loaded model type (a bundled model: no compilation messages to quote).</summary>
    public static string Line(Type model) => Line(model.Name, Engine(model), null);

    /// <summary>The engine whose code the generator emitted into a loaded model type, or null.</summary>
    public static string? Engine(Type model) =>
        typeof(Runtime.Inference.IGibbsEmModel).IsAssignableFrom(model) ? Runtime.Models.GibbsEmFit.Engine
        : typeof(Runtime.Variational.IVariationalDeclaredModel).IsAssignableFrom(model) ? Runtime.Models.VariationalFit.Engine
        : typeof(Runtime.Hmc.ISampledModel).IsAssignableFrom(model) ? Runtime.Models.SamplingFit.Engine
        : null;

    private static string Line(string model, string? engine, string? reason) => engine is not null
        ? $"model {model}: fitted by {engine}"
        : $"model {model}: not fitted, no engine's rules cover it ({reason ?? "dsl check on its file says which node stops it"})";
}
