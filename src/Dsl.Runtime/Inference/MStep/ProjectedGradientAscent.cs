namespace Dsl.Runtime.Inference.MStep;

/// <summary>
/// A smooth objective over a flat parameter vector with a projection onto its feasible set (URSM eq 3.7): the
/// generator emits one per parameter block it cannot update in closed form.
/// </summary>
public interface IProjectedObjective
{
    int Length { get; }

    double Value(ReadOnlySpan<double> x);

    /// <summary>Writes the gradient at x and returns the value there.</summary>
    double Gradient(ReadOnlySpan<double> x, Span<double> gradient);

    void Project(Span<double> x);

    /// <summary>
    /// Rescales an ascent direction in place by a positive diagonal metric. Parameters on a simplex or above a floor
    /// use x itself: the gradient of sum c log x is c / x, so x * gradient is on the scale of the counts, and entries
    /// a thousand times apart move at comparable relative rates (plain gradient steps would barely move the small ones).
    /// </summary>
    void Precondition(ReadOnlySpan<double> x, Span<double> direction);
}

/// <summary>
/// Projected gradient ascent with backtracking line search: from x, try Proj(x + t D g) for the objective's diagonal metric D, halving t until the
/// objective rises by at least c * g . (x_new - x) (the Armijo rule for projected steps). The accepted step seeds
/// the next iteration's first try (doubled), so the search adapts to the scale of each block.
/// </summary>
public sealed class ProjectedGradientAscent
{
    private const double Armijo = 1e-4;
    private const int MaxHalvings = 60;

    /// <summary>The last accepted step length; kept between M-steps because each block's scale changes slowly.</summary>
    public double Step { get; set; } = 1e-3;

    public int MaxIterations { get; set; } = 20;

    /// <summary>Stop when an iteration improves the objective by less than this, relative to its magnitude.</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Improves <paramref name="x"/> in place (projecting it first) and returns the final objective.</summary>
    public double Maximise(IProjectedObjective objective, Span<double> x)
    {
        var n = objective.Length;
        var gradient = new double[n];
        var direction = new double[n];
        var trial = new double[n];
        objective.Project(x);
        var value = objective.Gradient(x, gradient);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            gradient.CopyTo(direction, 0);
            objective.Precondition(x, direction);
            var accepted = false;
            var step = Step * 2;
            for (var halving = 0; halving < MaxHalvings; halving++, step *= 0.5)
            {
                for (var i = 0; i < n; i++) trial[i] = x[i] + step * direction[i];
                objective.Project(trial);
                var ascent = 0.0;
                for (var i = 0; i < n; i++) ascent += gradient[i] * (trial[i] - x[i]);
                if (ascent <= 0) break;
                var candidate = objective.Value(trial);
                if (candidate >= value + Armijo * ascent)
                {
                    accepted = true;
                    Step = step;
                    var improvement = candidate - value;
                    trial.CopyTo(x);
                    value = objective.Gradient(x, gradient);
                    if (improvement <= RelativeTolerance * Math.Max(1, Math.Abs(value))) return value;
                    break;
                }
            }
            if (!accepted) return value;
        }
        return value;
    }
}
