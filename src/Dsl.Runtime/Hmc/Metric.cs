using Dsl.Runtime.Random;

namespace Dsl.Runtime.Hmc;

/// <summary>
/// Which inverse metric (mass matrix) NUTS adapts: Stan's <c>diag_e</c>, its <c>dense_e</c>, or Auto: dense after a
/// warm-up window of at least <see cref="WindowMoments.DenseFrom"/> draws that are correlated (some |ρ| of at least
/// <see cref="WindowMoments.Correlated"/>) in up to <see cref="Metric.DenseUpTo"/> dimensions, diagonal otherwise, so
/// that a posterior without such correlations is sampled exactly as <c>diag_e</c> samples it.
/// </summary>
public enum MetricKind
{
    Auto,
    Diagonal,
    Dense,
}

/// <summary>
/// The inverse metric M⁻¹ of the kinetic energy ½ pᵀM⁻¹p, estimated during warm-up as the posterior's covariance on
/// the unconstrained scale: its diagonal only, or the whole matrix, which also undoes correlations between
/// coordinates (a regression's coefficients on uncentred or collinear predictors), where a diagonal metric needs many
/// small steps along the narrow directions. A dense metric costs O(d²) per leapfrog step for its matrix-vector
/// product, and its estimate carries more noise than a diagonal one where the coordinates are nearly independent.
/// </summary>
public sealed class Metric
{
    /// <summary>
    /// The largest dimension <see cref="MetricKind.Auto"/> considers a dense metric for: a regression's coefficients
    /// (posteriordb's diamonds has 26). Each leapfrog step multiplies by the d × d matrix twice; at 88 dimensions (a
    /// radon-shaped model of 85 varying intercepts and 919 observations) that tripled the sampling time for no more
    /// effective draws (ESS/s 695–1,552 dense against 2,119–2,406 diagonal at seeds 1 and 2).
    /// </summary>
    public const int DenseUpTo = 32;

    private readonly int dimension;
    private double[] inverse;
    private double[]? lower;
    private readonly double[] scratch;

    /// <summary>The identity, as a diagonal metric.</summary>
    public Metric(int dimension)
    {
        this.dimension = dimension;
        inverse = Enumerable.Repeat(1.0, dimension).ToArray();
        scratch = new double[dimension];
    }

    public bool IsDense => lower is not null;

    /// <summary>M⁻¹'s entries: d variances, or the d × d covariance row-major.</summary>
    public ReadOnlySpan<double> Values => inverse;

    /// <summary>M⁻¹ = diag(variances).</summary>
    public void SetDiagonal(ReadOnlySpan<double> variances)
    {
        if (variances.Length != dimension) throw new ArgumentException($"a diagonal metric of {dimension} entries, given {variances.Length}");
        (inverse, lower) = (variances.ToArray(), null);
    }

    /// <summary>M⁻¹ = the d × d covariance (row-major), factored for drawing momenta.</summary>
    public void SetDense(ReadOnlySpan<double> covariance)
    {
        if (!TrySetDense(covariance)) throw new InvalidOperationException("the dense metric is not positive definite");
    }

    /// <summary>
    /// As <see cref="SetDense"/>, or false (the metric unchanged) where the covariance does not factor in double
    /// precision: shrinkage keeps an adapted one positive definite, but not where variances differ by 16 orders.
    /// </summary>
    public bool TrySetDense(ReadOnlySpan<double> covariance)
    {
        if (covariance.Length != dimension * dimension) throw new ArgumentException($"a dense metric of {dimension * dimension} entries, given {covariance.Length}");
        var factor = covariance.ToArray();
        try
        {
            Special.Cholesky.Factor(factor, dimension, "the adapted inverse metric");
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        (inverse, lower) = (covariance.ToArray(), factor);
        return true;
    }

    /// <summary>p♯ = M⁻¹p, the velocity.</summary>
    public void Sharp(ReadOnlySpan<double> momentum, Span<double> destination)
    {
        if (lower is null)
        {
            for (var i = 0; i < dimension; i++) destination[i] = inverse[i] * momentum[i];
            return;
        }
        for (var i = 0; i < dimension; i++) destination[i] = Rows.Dot(inverse.AsSpan(i * dimension, dimension), momentum);
    }

    /// <summary>position += ε·M⁻¹p, a leapfrog step's drift (one pass for a diagonal metric, which small models feel).</summary>
    public void Drift(Span<double> position, ReadOnlySpan<double> momentum, double epsilon)
    {
        if (lower is null)
        {
            for (var i = 0; i < dimension; i++) position[i] += epsilon * inverse[i] * momentum[i];
            return;
        }
        Sharp(momentum, scratch);
        for (var i = 0; i < dimension; i++) position[i] += epsilon * scratch[i];
    }

    /// <summary>pᵀM⁻¹p.</summary>
    public double Kinetic(ReadOnlySpan<double> momentum)
    {
        if (lower is null)
        {
            var kinetic = 0.0;
            for (var i = 0; i < dimension; i++) kinetic += momentum[i] * momentum[i] * inverse[i];
            return kinetic;
        }
        Sharp(momentum, scratch);
        return Rows.Dot(momentum, scratch);
    }

    /// <summary>p ~ Normal(0, M): z standard normal and p = L⁻ᵀz where M⁻¹ = LLᵀ (so Cov p = L⁻ᵀL⁻¹ = M).</summary>
    public void Draw(Span<double> momentum, ref RandomStream random)
    {
        for (var i = 0; i < dimension; i++) momentum[i] = random.NextNormal();
        if (lower is null)
        {
            for (var i = 0; i < dimension; i++) momentum[i] /= Math.Sqrt(inverse[i]);
            return;
        }
        // Back substitution with Lᵀ.
        for (var a = dimension - 1; a >= 0; a--)
        {
            var s = momentum[a];
            for (var k = a + 1; k < dimension; k++) s -= lower[k * dimension + a] * momentum[k];
            momentum[a] = s / lower[a * dimension + a];
        }
    }
}
