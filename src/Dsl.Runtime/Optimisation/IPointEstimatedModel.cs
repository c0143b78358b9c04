using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;

namespace Dsl.Runtime.Optimisation;

/// <summary>
/// A declared model whose unknowns are all parameters, fitted by maximum likelihood (implemented in
/// <c>{Model}.Objective.g.cs</c>).
/// </summary>
public interface IPointEstimatedModel : IDeclaredModel
{
    /// <summary>The log likelihood at the stored data, with scratch of its own; it reads the parameters from the model's storage.</summary>
    IObjective CreateObjective();
}

/// <summary>
/// log p(y | θ) as a density over no latent coordinates: <see cref="ILogDensity.Evaluate"/> at an empty position
/// returns it, and <see cref="IPosterior.TryReadParameterGradient"/> its gradient in each parameter.
/// </summary>
public interface IObjective : IPosterior
{
    /// <summary>Threads for the matrix products the log likelihood holds (the value does not depend on them).</summary>
    int Threads { get; set; }

    /// <summary>The plate minibatches are drawn over (every observation's first plate), or null where the observations share none.</summary>
    string? RowPlate { get; }

    /// <summary>
    /// The log priors plus <paramref name="scale"/> times the observations' log densities over rows
    /// <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of <see cref="RowPlate"/>
    /// (N / count makes it an unbiased estimate of the whole log posterior), its gradients kept as
    /// <see cref="ILogDensity.Evaluate"/>'s are.
    /// </summary>
    double EvaluateRows(int start, int count, double scale);

    /// <summary>The observations the declaration says have missing entries ([MeasuredWhere], [ZerosMissing]): a fit reports their predictions.</summary>
    IReadOnlyList<string> Incomplete { get; }

    /// <summary>E[node] at every entry, row-major, at the stored parameters: the model's prediction where entries are missing.</summary>
    bool TryPredict(string node, Span<double> destination);

    /// <summary>The discrete latents summed out of the likelihood (a mixture's allocations): a fit reports their conditionals.</summary>
    IReadOnlyList<string> Summed { get; }

    /// <summary>
    /// p(z = v | observations, parameters) at the stored parameters, for every entry of a summed-out latent and each of
    /// its values v (a plate's positions, or 0 and 1), [entry, value] row-major: EM's responsibilities at its optimum.
    /// </summary>
    bool TryReadConditional(string node, Span<double> destination);
}
