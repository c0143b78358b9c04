using System;
using System.Collections.Generic;
using System.Numerics;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The marginal log-likelihood log p(x) of each element by importance sampling with the fitted q as proposal:
/// log (1/K) Σ_k p(x, latents_k) / q(latents_k | x), a lower bound in expectation that tightens as K grows and is
/// never below the ELBO's Monte Carlo estimate on average.
/// </summary>
public static class ImportanceSampling
{
    /// <summary>Elements are processed in blocks of this many rows (one minibatch-sized forward pass per draw).</summary>
    public const int BlockSize = 256;

    public static double[] MarginalLogLikelihood<T>(IVariationalModel<T> model, IReadOnlyList<int> elements, int samples, ulong seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), "importance sampling needs at least one draw");
        var result = new double[elements.Count];
        var block = new int[BlockSize];
        var weights = new double[samples * BlockSize];
        var draw = new double[BlockSize];
        for (int start = 0, index = 0; start < elements.Count; start += BlockSize, index++)
        {
            var rows = Math.Min(BlockSize, elements.Count - start);
            for (var r = 0; r < rows; r++) block[r] = elements[start + r];
            for (var k = 0; k < samples; k++)
            {
                // One stream per (block, draw): the estimate depends on the seed and the order of elements, not on threads.
                model.LogImportanceWeights(block.AsSpan(0, rows), seed, (ulong)index * (ulong)samples + (ulong)k, draw);
                for (var r = 0; r < rows; r++) weights[r * samples + k] = draw[r];
            }
            for (var r = 0; r < rows; r++) result[start + r] = LogMeanExp(weights.AsSpan(r * samples, samples));
        }
        return result;
    }

    /// <summary>log((1/K) Σ exp(w_k)), shifted by the largest weight so nothing overflows.</summary>
    public static double LogMeanExp(ReadOnlySpan<double> logWeights)
    {
        var max = double.NegativeInfinity;
        foreach (var w in logWeights) max = Math.Max(max, w);
        if (double.IsNegativeInfinity(max)) return max;
        var sum = 0.0;
        foreach (var w in logWeights) sum += Math.Exp(w - max);
        return max + Math.Log(sum / logWeights.Length);
    }
}
