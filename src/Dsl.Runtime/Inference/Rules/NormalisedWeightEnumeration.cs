using Dsl.Runtime.Random;
using Dsl.Runtime.Special;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// Enumeration of binary latents s_i that switch entries of a multinomial on and off:
/// y ~ Multinomial(R, p), p_i = f_i s_i / sum_n f_n s_n, with a Bernoulli prior logit psi_i on each s_i (URSM's S,
/// eq 3.5). The Markov blanket of s_i holds its prior and the whole count vector, but only through
/// rest_i = sum_{n != i} f_n s_n, so a running sum makes each entry O(1):
/// y_i &gt; 0 forces s_i = 1; otherwise logit P(s_i = 1) = psi_i + R (log rest_i - log(rest_i + f_i)) = psi_i - R log1p(f_i / rest_i).
/// </summary>
public static class NormalisedWeightEnumeration
{
    /// <summary>One systematic scan over i. <paramref name="state"/> holds 0 or 1 per entry and is updated in place.</summary>
    public static void Sweep(ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, ReadOnlySpan<double> priorLogit, Span<byte> state, ref RandomStream random)
    {
        var total = 0;
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += counts[i];
            sum += weights[i] * state[i];
        }
        for (var i = 0; i < weights.Length; i++)
        {
            var rest = sum - weights[i] * state[i];
            byte on;
            if (counts[i] > 0 || (total > 0 && rest <= 0))
            {
                // An observed count, or the only entry left that can carry the total: the entry cannot be off.
                on = 1;
            }
            else
            {
                var logit = priorLogit[i] - total * SpecialFunctions.Log1p(weights[i] / rest);
                on = random.NextDouble() < SpecialFunctions.Logistic(logit) ? (byte)1 : (byte)0;
            }
            state[i] = on;
            sum = rest + weights[i] * on;
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
