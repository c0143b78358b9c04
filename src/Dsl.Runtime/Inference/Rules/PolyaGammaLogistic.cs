using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// Polya-Gamma augmentation of a logistic-link Bernoulli (Polson, Scott &amp; Windle 2013; URSM eq 3.4-3.5).
/// Responses y_r in {0, 1} with linear predictor psi_r = o_r + x_r . beta, a known offset o_r (the latent-free terms of
/// psi; zero when there are none), and an independent Normal prior on each of the C coefficients. Given
/// omega_r ~ PG(1, psi_r), beta is Gaussian with precision V = diag(1/v) + sum_r omega_r x_r x_r^T and mean
/// V^-1 (mu/v + sum_r (y_r - 1/2 - omega_r o_r) x_r). One call draws omega, then beta, for one replicate (a cell in URSM,
/// the whole data set for a plain logistic regression).
/// </summary>
public static class PolyaGammaLogistic
{
    /// <summary>
    /// psi = offset + design . coefficients; the design is column-major (C columns of rows entries), so each coefficient
    /// scales one column. An empty <paramref name="offset"/> is zero.
    /// </summary>
    public static void LinearPredictor(ReadOnlySpan<double> design, ReadOnlySpan<double> offset, ReadOnlySpan<double> coefficients, Span<double> psi)
    {
        var rows = psi.Length;
        if (design.Length < coefficients.Length * rows) throw new ArgumentException($"the design needs {coefficients.Length} columns of {rows}", nameof(design));
        if (offset.IsEmpty) psi.Clear();
        else offset[..rows].CopyTo(psi);
        for (var j = 0; j < coefficients.Length; j++) TensorPrimitives.MultiplyAdd(design.Slice(j * rows, rows), coefficients[j], psi, psi);
    }

    /// <summary>
    /// Draws omega (one per row, into <paramref name="omega"/>) and then the coefficients. The design is column-major
    /// (C columns of rows entries), so the precision's entries are weighted dot products of columns.
    /// <paramref name="workspace"/> holds at least C*C + 2*C doubles; nothing is allocated. An empty
    /// <paramref name="offset"/> is zero.
    /// </summary>
    public static void Sweep(
        ReadOnlySpan<double> design, ReadOnlySpan<double> offset, ReadOnlySpan<double> response, ReadOnlySpan<double> priorMean, ReadOnlySpan<double> priorVariance,
        Span<double> coefficients, Span<double> omega, Span<double> psi, Span<double> workspace, ref RandomStream random)
    {
        var c = coefficients.Length;
        var rows = response.Length;
        LinearPredictor(design, offset, coefficients, psi[..rows]);
        PolyaGamma.SampleOne(psi[..rows], omega[..rows], ref random);

        var precision = workspace[..(c * c)];
        var rhs = workspace.Slice(c * c, c);
        var draw = workspace.Slice(c * c + c, c);
        for (var a = 0; a < c; a++)
        {
            var column = design.Slice(a * rows, rows);
            // sum_r (y_r - 1/2 - omega_r o_r) x_r
            rhs[a] = priorMean[a] / priorVariance[a] + TensorPrimitives.Dot(response, column) - 0.5 * TensorPrimitives.Sum(column);
            if (!offset.IsEmpty) rhs[a] -= WeightedDot(omega[..rows], offset[..rows], column);
            for (var b = 0; b <= a; b++) precision[a * c + b] = WeightedDot(omega[..rows], column, design.Slice(b * rows, rows));
            precision[a * c + a] += 1.0 / priorVariance[a];
        }
        for (var j = 0; j < c; j++) draw[j] = random.NextNormal();
        GaussianFromPrecision(precision, rhs, draw, c);
        draw.CopyTo(coefficients);
    }

    /// <summary>sum_r w_r a_r b_r.</summary>
    private static double WeightedDot(ReadOnlySpan<double> w, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var i = 0;
        var sum = Vector256<double>.Zero;
        for (; i + 4 <= w.Length; i += 4)
            sum = Vector256.FusedMultiplyAdd(Vector256.Create(w.Slice(i, 4)) * Vector256.Create(a.Slice(i, 4)), Vector256.Create(b.Slice(i, 4)), sum);
        var total = Vector256.Sum(sum);
        for (; i < w.Length; i++) total += w[i] * a[i] * b[i];
        return total;
    }

    /// <summary>
    /// Turns standard normals <paramref name="noise"/> into a draw from N(P^-1 b, P^-1), given the lower triangle of
    /// the precision P: with P = L L^T, the mean solves L L^T m = b and the noise is L^-T z. Overwrites P with L.
    /// </summary>
    public static void GaussianFromPrecision(Span<double> precision, Span<double> rhs, Span<double> noise, int c)
    {
        Special.Cholesky.Factor(precision, c, "the coefficients' posterior precision");
        // Forward: L y = b (y kept in rhs).
        for (var a = 0; a < c; a++)
        {
            var s = rhs[a];
            for (var b = 0; b < a; b++) s -= precision[a * c + b] * rhs[b];
            rhs[a] = s / precision[a * c + a];
        }
        // Backward: L^T x = y + z gives x = m + L^-T z in one pass.
        for (var a = c - 1; a >= 0; a--)
        {
            var s = rhs[a] + noise[a];
            for (var b = a + 1; b < c; b++) s -= precision[b * c + a] * noise[b];
            noise[a] = s / precision[a * c + a];
        }
    }
}
