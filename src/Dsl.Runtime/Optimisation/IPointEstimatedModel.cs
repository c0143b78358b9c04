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

    /// <summary>The observations the declaration says have missing entries ([MeasuredWhere], [ZerosMissing]): a fit reports their predictions.</summary>
    IReadOnlyList<string> Incomplete { get; }

    /// <summary>E[node] at every entry, row-major, at the stored parameters: the model's prediction where entries are missing.</summary>
    bool TryPredict(string node, Span<double> destination);
}
