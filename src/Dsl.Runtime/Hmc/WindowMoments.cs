namespace Dsl.Runtime.Hmc;

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
        // A covariance that does not factor keeps the diagonal, which shrinkage always leaves positive.
        if (!metric.TrySetDense(covariance)) metric.SetDiagonal(variances);
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
