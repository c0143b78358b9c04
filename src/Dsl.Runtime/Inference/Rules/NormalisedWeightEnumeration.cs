using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// Enumeration of binary latents s_i that switch entries of a multinomial on and off:
/// y ~ Multinomial(R, p), p_i = f_i s_i / sum_n f_n s_n, with a Bernoulli prior logit psi_i on each s_i (URSM's S,
/// eq 3.5). The Markov blanket of s_i holds its prior and the whole count vector, but only through
/// rest_i = sum_{n != i} f_n s_n, so a running sum makes each entry O(1):
/// y_i &gt; 0 forces s_i = 1; otherwise logit P(s_i = 1) = psi_i + R (log rest_i - log(rest_i + f_i)) = psi_i - R log1p(f_i / rest_i).
/// <para>
/// The scan itself is sequential (rest_i depends on the entries before i), so everything that does not depend on
/// rest is done first, vectorised over all entries: with a uniform u_i, s_i = 1 iff u_i &lt; logistic(logit) iff
/// (psi_i - logit(u_i)) / R &gt; log1p(f_i / rest_i) iff rest_i + f_i &lt; rest_i e_i, where e_i = exp((psi_i - logit(u_i)) / R).
/// The scan then costs one multiply and one compare per entry.
/// </para>
/// </summary>
public static class NormalisedWeightEnumeration
{
    /// <summary>
    /// One systematic scan over i. <paramref name="state"/> holds 0 or 1 per entry and is updated in place;
    /// <paramref name="workspace"/> holds at least one double per entry. Unless <paramref name="onProbability"/> is
    /// empty, it receives each entry's full-conditional P(s_i = 1 | the rest) at the moment it was drawn: averaged
    /// over sweeps, that is the Rao-Blackwell estimate of E[s_i], smoother than the average of the 0/1 draws.
    /// </summary>
    public static void Sweep(
        ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, ReadOnlySpan<double> priorLogit, Span<byte> state, Span<double> workspace,
        Span<double> onProbability, ref RandomStream random)
    {
        var entries = weights.Length;
        var total = 0;
        var sum = 0.0;
        for (var i = 0; i < entries; i++)
        {
            total += counts[i];
            sum += weights[i] * state[i];
        }
        var factor = workspace[..entries];
        random.FillUniform(factor);
        OnFactors(priorLogit, total, factor);
        for (var i = 0; i < entries; i++)
        {
            var rest = sum - weights[i] * state[i];
            // An observed count, or the only entry left that can carry the total, keeps the entry on. Written with
            // non-short-circuit operators: the outcome is a coin flip, so a branch would mispredict half the time.
            var on = (counts[i] > 0) | (total > 0 & rest <= 0) | (total > 0 ? rest + weights[i] < rest * factor[i] : factor[i] > 1);
            state[i] = on ? (byte)1 : (byte)0;
            sum = on ? rest + weights[i] : rest;
            factor[i] = rest;
        }
        if (!onProbability.IsEmpty) OnProbabilities(weights, counts, priorLogit, total, factor, onProbability);
    }

    /// <summary>
    /// P(s_i = 1 | rest_i) = logistic(psi_i - R log1p(f_i / rest_i)), or 1 where the entry could not be off; with
    /// R = 0, logistic(psi_i). Vectorised: it runs after the scan, from the rest_i the scan saw.
    /// </summary>
    private static void OnProbabilities(
        ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, ReadOnlySpan<double> priorLogit, int total, ReadOnlySpan<double> rests, Span<double> probability)
    {
        var i = 0;
        var r = Vector256.Create((double)total);
        for (; i + 4 <= rests.Length; i += 4)
        {
            var rest = Vector256.Create(rests[i..]);
            var observed = Vector256.Create(counts[i] > 0 ? -1L : 0, counts[i + 1] > 0 ? -1L : 0, counts[i + 2] > 0 ? -1L : 0, counts[i + 3] > 0 ? -1L : 0).AsDouble();
            var logit = Vector256.Create(priorLogit[i..]);
            var forced = observed;
            if (total > 0)
            {
                logit -= r * VectorMath.Log1p(Vector256.Create(weights[i..]) / rest);
                forced |= Vector256.LessThanOrEqual(rest, Vector256<double>.Zero);
            }
            Vector256.ConditionalSelect(forced, Vector256<double>.One, VectorMath.Logistic(logit)).CopyTo(probability[i..]);
        }
        for (; i < rests.Length; i++)
        {
            var forced = counts[i] > 0 || (total > 0 && rests[i] <= 0);
            probability[i] = forced ? 1 : SpecialFunctions.Logistic(total > 0 ? priorLogit[i] - total * SpecialFunctions.Log1p(weights[i] / rests[i]) : priorLogit[i]);
        }
    }

    /// <summary>
    /// Turns uniforms u_i into e_i = exp((psi_i - log(u_i / (1 - u_i))) / R), in place; with R = 0 (no counts, so
    /// the prior alone decides) into exp(psi_i - logit(u_i)), which is above one iff u_i &lt; logistic(psi_i).
    /// </summary>
    private static void OnFactors(ReadOnlySpan<double> priorLogit, int total, Span<double> uniforms)
    {
        var scale = total > 0 ? 1.0 / total : 1.0;
        var i = 0;
        for (; i + 4 <= uniforms.Length; i += 4)
        {
            var u = Vector256.Create<double>(uniforms[i..]);
            var logit = Vector256.Log(u / (Vector256<double>.One - u));
            Vector256.Exp((Vector256.Create(priorLogit[i..]) - logit) * Vector256.Create(scale)).CopyTo(uniforms[i..]);
        }
        for (; i < uniforms.Length; i++)
        {
            var u = uniforms[i];
            uniforms[i] = Math.Exp((priorLogit[i] - Math.Log(u / (1 - u))) * scale);
        }
    }

    /// <summary>The log-likelihood of the counts given the state, dropping the multinomial coefficient.</summary>
    public static double LogLikelihood(ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, ReadOnlySpan<byte> state)
    {
        var total = 0;
        var sum = 0.0;
        var logLikelihood = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += counts[i];
            sum += weights[i] * state[i];
            if (counts[i] > 0) logLikelihood += counts[i] * Math.Log(weights[i]);
        }
        return logLikelihood - total * Math.Log(sum);
    }
}
