using System.Numerics;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The log-likelihood of one observed category given a row of weights (or logits) across the category plate, with
/// its derivative in every entry of the row; computed in double whatever T is. Rows are as wide as the number of
/// categories (cell types), so no vector path is needed.
/// </summary>
public static class CategoryRows
{
    /// <summary>log p(y) = logit[y] − log Σ_k exp(logit_k); ∂/∂logit_k = 1[k = y] − softmax_k.</summary>
    public static double CategoricalLogit<T>(int observed, ReadOnlySpan<T> logit, Span<T> dLogit) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var max = double.NegativeInfinity;
        foreach (var value in logit) max = Math.Max(max, double.CreateTruncating(value));
        var sum = 0.0;
        foreach (var value in logit) sum += Math.Exp(double.CreateTruncating(value) - max);
        var logNormaliser = max + Math.Log(sum);
        for (var k = 0; k < logit.Length; k++)
            dLogit[k] = T.CreateTruncating((k == observed ? 1.0 : 0.0) - Math.Exp(double.CreateTruncating(logit[k]) - logNormaliser));
        return double.CreateTruncating(logit[observed]) - logNormaliser;
    }

    /// <summary>log p(y) = log w[y] − log Σ_k w_k (weights proportional to the probabilities); ∂/∂w_k = 1[k = y]/w_y − 1/Σ w.</summary>
    public static double Categorical<T>(int observed, ReadOnlySpan<T> weight, Span<T> dWeight) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sum = 0.0;
        foreach (var value in weight) sum += double.CreateTruncating(value);
        var own = double.CreateTruncating(weight[observed]);
        for (var k = 0; k < weight.Length; k++) dWeight[k] = T.CreateTruncating((k == observed ? 1 / own : 0.0) - 1 / sum);
        return Math.Log(own) - Math.Log(sum);
    }
}
