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
        if (covariance.Length != dimension * dimension) throw new ArgumentException($"a dense metric of {dimension * dimension} entries, given {covariance.Length}");
        var factor = covariance.ToArray();
        Special.Cholesky.Factor(factor, dimension, "the adapted inverse metric");
        (inverse, lower) = (covariance.ToArray(), factor);
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

/// <summary>
/// Welford's running mean and (co)variance of the draws of one adaptation window, written out with Stan's shrinkage
/// towards 10⁻³·I: (n/(n+5))·Σ + 10⁻³·(5/(n+5))·I, as the whole covariance or its diagonal.
/// </summary>
internal sealed class WindowMoments
{
    /// <summary>Fewer draws than this estimate a covariance mostly as noise: <see cref="MetricKind.Auto"/> keeps such a window's diagonal.</summary>
    public const int DenseFrom = 100;

    /// <summary>
    /// The correlation from which <see cref="MetricKind.Auto"/> takes the dense metric. Well above the noise of a
    /// sample correlation at the last window's 500 draws (sd 0.045; the largest of 4,950 pairs of independent
    /// coordinates is about 0.2), and well below the 0.99 of a regression on an uncentred predictor (kidiq).
    /// </summary>
    public const double Correlated = 0.5;

    private readonly int dimension;
    private readonly MetricKind kind;
    private readonly bool full;
    private readonly double[] mean, delta, comoments;
    private int count;

    public WindowMoments(int dimension, MetricKind kind)
    {
        (this.dimension, this.kind) = (dimension, kind);
        full = kind == MetricKind.Dense || kind == MetricKind.Auto && dimension <= Metric.DenseUpTo;
        (mean, delta) = (new double[dimension], new double[dimension]);
        comoments = new double[full ? dimension * dimension : dimension];
    }

    public void Add(ReadOnlySpan<double> draw)
    {
        count++;
        for (var i = 0; i < dimension; i++)
        {
            delta[i] = draw[i] - mean[i];
            mean[i] += delta[i] / count;
        }
        // Σ (x - mean_old)(x - mean_new)ᵀ, the update that keeps the co-moments exact.
        if (!full)
        {
            for (var i = 0; i < dimension; i++) comoments[i] += delta[i] * (draw[i] - mean[i]);
            return;
        }
        for (var i = 0; i < dimension; i++)
            for (var j = 0; j < dimension; j++) comoments[i * dimension + j] += delta[i] * (draw[j] - mean[j]);
    }

    /// <summary>Sets the metric to the window's regularised covariance, or its diagonal (left as it is after fewer than two draws).</summary>
    public void WriteTo(Metric metric)
    {
        if (count < 2) return;
        var (shrink, ridge) = (count / (count + 5.0), 1e-3 * (5.0 / (count + 5.0)));
        double Covariance(int i, int j) => full ? comoments[i * dimension + j] / (count - 1) : comoments[i] / (count - 1);
        var variances = Enumerable.Range(0, dimension).Select(i => shrink * Covariance(i, i) + ridge).ToArray();
        if (!full || kind == MetricKind.Auto && (count < DenseFrom || !IsCorrelated()))
        {
            metric.SetDiagonal(variances);
            return;
        }
        // The co-moment update is symmetric only up to rounding: the two triangles are averaged.
        var covariance = new double[dimension * dimension];
        for (var i = 0; i < dimension; i++)
            for (var j = 0; j < dimension; j++)
                covariance[i * dimension + j] = i == j ? variances[i] : shrink * 0.5 * (Covariance(i, j) + Covariance(j, i));
        metric.SetDense(covariance);
    }

    private bool IsCorrelated()
    {
        for (var i = 0; i < dimension; i++)
            for (var j = 0; j < i; j++)
            {
                var scale = Math.Sqrt(comoments[i * dimension + i] * comoments[j * dimension + j]);
                if (scale > 0 && Math.Abs(comoments[i * dimension + j]) >= Correlated * scale) return true;
            }
        return false;
    }

    public void Reset()
    {
        Array.Clear(mean);
        Array.Clear(comoments);
        count = 0;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(count);
        foreach (var v in mean) writer.Write(v);
        foreach (var v in comoments) writer.Write(v);
    }

    public void Load(BinaryReader reader)
    {
        count = reader.ReadInt32();
        for (var i = 0; i < mean.Length; i++) mean[i] = reader.ReadDouble();
        for (var i = 0; i < comoments.Length; i++) comoments[i] = reader.ReadDouble();
    }
}
