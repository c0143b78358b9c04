using Dsl.Compiler;
using Dsl.Runtime.Models;

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
            var engines = type is not null ? FitEngines.Of(type) : FitEngines.All.Where(m => hints.Contains(stem + m.Hint)).Select(m => m.Engine).Distinct().ToList();
            var reason = compiled.Messages.FirstOrDefault(m => m.Id.StartsWith("DSL04", StringComparison.Ordinal) && m.Message.Contains($"Model '{name}'"));
            yield return Line(name, engines, reason is null ? null : $"warning {reason.Id} at {Path.GetFileName(reason.Path)}({reason.Line},{reason.Column})");
        }
    }

    /// <summary>From a loaded model type (a bundled model: no compilation messages to quote).</summary>
    public static string Line(Type model) => Line(model.Name, FitEngines.Of(model), null);

    private static string Line(string model, IReadOnlyList<string> engines, string? reason) => engines.Count switch
    {
        0 => $"model {model}: not fitted, no engine's rules cover it ({reason ?? "dsl check on its file says which node stops it"})",
        1 => $"model {model}: fitted by {engines[0]}",
        _ => $"model {model}: fitted by {engines[0]} (also {string.Join(", ", engines.Skip(1).Select(e => $"{e} with --method {FitEngines.MethodOf(e)}"))})",
    };
}
