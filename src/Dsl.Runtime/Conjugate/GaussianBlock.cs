using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Conjugate;

/// <summary>
/// A jointly Normal full conditional in natural parameters: precision Λ (D × D, row-major) and shift h, mean Λ⁻¹h,
/// accumulated one design row at a time and drawn through the Cholesky factor of Λ.
/// </summary>
public static class GaussianBlock
{
    /// <summary>Λ += w·b bᵀ and h += w·b·r: one observation with design row b, precision w and residual r = y − a.</summary>
    public static void Accumulate(Span<double> precision, Span<double> shift, ReadOnlySpan<double> row, double weight, double residual)
    {
        Rows.AddScaled(row, weight * residual, shift);
        AddOuter(precision, row, weight);
    }

    /// <summary>Gram += w·b bᵀ: one design row's share of a precision (w = 1: a child's Gram matrix, summed once where the rows are data).</summary>
    public static void AddOuter(Span<double> gram, ReadOnlySpan<double> row, double weight = 1)
    {
        var dimension = row.Length;
        for (var i = 0; i < dimension; i++)
            if (row[i] != 0) Rows.AddScaled(row, weight * row[i], gram.Slice(i * dimension, dimension)); // a one-hot row touches few rows of Λ
    }

    /// <summary>Λ += w·Gram: a child whose design rows are data and whose precision w is the same for every entry.</summary>
    public static void AddScaled(Span<double> precision, ReadOnlySpan<double> gram, double weight) => Rows.AddScaled(gram, weight, precision);

    /// <summary>
    /// One draw of x ~ Normal(Λ⁻¹h, Λ⁻¹): Λ = LLᵀ (overwritten by L), mean from two triangular solves, and L⁻ᵀz added
    /// for z standard normal (its covariance is (LLᵀ)⁻¹). A Λ that is not positive definite is refused, naming the nodes.
    /// </summary>
    public static void Draw(string nodes, Span<double> precision, ReadOnlySpan<double> shift, Span<double> destination, ref RandomStream random)
    {
        var d = destination.Length;
        for (var j = 0; j < d; j++)
        {
            var diagonal = precision[j * d + j];
            for (var k = 0; k < j; k++) diagonal -= precision[j * d + k] * precision[j * d + k];
            if (!(diagonal > 0) || !double.IsFinite(diagonal))
                throw new InvalidDataException($"the joint full conditional of {nodes} has a precision matrix that is not positive definite (coordinate {j + 1}); their priors and children give them no proper Normal");
            var root = Math.Sqrt(diagonal);
            precision[j * d + j] = root;
            for (var i = j + 1; i < d; i++)
            {
                var sum = precision[i * d + j];
                for (var k = 0; k < j; k++) sum -= precision[i * d + k] * precision[j * d + k];
                precision[i * d + j] = sum / root;
            }
        }
        // L u = h, then Lᵀ x = u + z: x = Λ⁻¹h + L⁻ᵀz.
        for (var i = 0; i < d; i++)
        {
            var sum = shift[i];
            for (var k = 0; k < i; k++) sum -= precision[i * d + k] * destination[k];
            destination[i] = sum / precision[i * d + i];
        }
        for (var i = 0; i < d; i++) destination[i] += random.NextNormal();
        for (var i = d - 1; i >= 0; i--)
        {
            var sum = destination[i];
            for (var k = i + 1; k < d; k++) sum -= precision[k * d + i] * destination[k];
            destination[i] = sum / precision[i * d + i];
        }
    }
}
