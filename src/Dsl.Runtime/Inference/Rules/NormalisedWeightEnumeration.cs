using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// <summary>Doubles of workspace <see cref="Sweep"/> needs for <paramref name="entries"/> entries.</summary>
    public static int WorkspaceDoubles(int entries) => entries + (entries + 1) / 2;

    /// <summary>
    /// One systematic scan over i. <paramref name="state"/> holds 0 or 1 per entry and is updated in place;
    /// <paramref name="workspace"/> holds <see cref="WorkspaceDoubles"/> doubles. Unless <paramref name="onProbability"/>
    /// is empty, it receives each entry's full-conditional P(s_i = 1 | the rest) at the moment it was drawn: averaged
    /// over sweeps, that is the Rao-Blackwell estimate of E[s_i], smoother than the average of the 0/1 draws.
    /// Entries with a count are on whatever their prior says and never change the running sum, so only the others
    /// are visited (and only they consume random numbers).
    /// </summary>
    public static void Sweep(
        ReadOnlySpan<double> weights, ReadOnlySpan<int> counts, ReadOnlySpan<double> priorLogit, Span<byte> state, Span<double> workspace,
        Span<double> onProbability, ref RandomStream random)
    {
        var entries = weights.Length;
        if (workspace.Length < WorkspaceDoubles(entries)) throw new ArgumentException($"the workspace needs {WorkspaceDoubles(entries)} doubles", nameof(workspace));
        var free = MemoryMarshal.Cast<double, int>(workspace[entries..])[..entries];
        var total = 0;
        var sum = 0.0;
        var visited = 0;
        for (var i = 0; i < entries; i++)
        {
            var observed = counts[i] > 0;
            total += counts[i];
            state[i] |= Unsafe.BitCast<bool, byte>(observed);
            sum += weights[i] * state[i];
            free[visited] = i;
            visited += observed ? 0 : 1;
        }
        free = free[..visited];
        var factor = workspace[..visited];
        random.FillUniform(factor);
        OnFactors(priorLogit, free, total, factor);
        for (var k = 0; k < free.Length; k++)
        {
            var i = free[k];
            var rest = sum - weights[i] * state[i];
            // The only entry left that can carry the total stays on. Written with non-short-circuit operators: the
            // outcome is a coin flip, so a branch would mispredict half the time.
            var on = (total > 0 & rest <= 0) | (total > 0 ? rest + weights[i] < rest * factor[k] : factor[k] > 1);
            state[i] = on ? (byte)1 : (byte)0;
            sum = on ? rest + weights[i] : rest;
            factor[k] = rest;
        }
        if (!onProbability.IsEmpty) OnProbabilities(weights, priorLogit, free, total, factor, onProbability[..entries]);
    }

    /// <summary>
    /// P(s_i = 1 | rest_i) = logistic(psi_i - R log1p(f_i / rest_i)) for the visited entries i = free[k], or 1 where the
    /// entry could not be off; with R = 0, logistic(psi_i). Entries with a count get 1. Vectorised: it runs after the
    /// scan, from the rest_i the scan saw.
    /// </summary>
    private static void OnProbabilities(
        ReadOnlySpan<double> weights, ReadOnlySpan<double> priorLogit, ReadOnlySpan<int> free, int total, ReadOnlySpan<double> rests, Span<double> probability)
    {
        probability.Fill(1);
        var k = 0;
        var r = Vector256.Create((double)total);
        Span<double> lanes = stackalloc double[4];
        for (; k + 4 <= free.Length; k += 4)
        {
            var rest = Vector256.Create(rests[k..]);
            var logit = Gather(priorLogit, free, k);
            var forced = Vector256<double>.Zero;
            if (total > 0)
            {
                logit -= r * VectorMath.Log1p(Gather(weights, free, k) / rest);
                forced = Vector256.LessThanOrEqual(rest, Vector256<double>.Zero);
            }
            Vector256.ConditionalSelect(forced, Vector256<double>.One, VectorMath.Logistic(logit)).CopyTo(lanes);
            for (var lane = 0; lane < 4; lane++) probability[free[k + lane]] = lanes[lane];
        }
        for (; k < free.Length; k++)
        {
            var i = free[k];
            var forced = total > 0 && rests[k] <= 0;
            probability[i] = forced ? 1 : SpecialFunctions.Logistic(total > 0 ? priorLogit[i] - total * SpecialFunctions.Log1p(weights[i] / rests[k]) : priorLogit[i]);
        }
    }

    private static Vector256<double> Gather(ReadOnlySpan<double> values, ReadOnlySpan<int> at, int k) =>
        Vector256.Create(values[at[k]], values[at[k + 1]], values[at[k + 2]], values[at[k + 3]]);

    /// <summary>
    /// Turns uniforms u_k into e_k = exp((psi_i - log(u_k / (1 - u_k))) / R) for i = free[k], in place; with R = 0 (no
    /// counts, so the prior alone decides) into exp(psi_i - logit(u_k)), which is above one iff u_k &lt; logistic(psi_i).
    /// </summary>
    private static void OnFactors(ReadOnlySpan<double> priorLogit, ReadOnlySpan<int> free, int total, Span<double> uniforms)
    {
        var scale = total > 0 ? 1.0 / total : 1.0;
        var k = 0;
        for (; k + 4 <= uniforms.Length; k += 4)
        {
            var u = Vector256.Create<double>(uniforms[k..]);
            var logit = Vector256.Log(u / (Vector256<double>.One - u));
            Vector256.Exp((Gather(priorLogit, free, k) - logit) * Vector256.Create(scale)).CopyTo(uniforms[k..]);
        }
        for (; k < uniforms.Length; k++)
        {
            var u = uniforms[k];
            uniforms[k] = Math.Exp((priorLogit[free[k]] - Math.Log(u / (1 - u))) * scale);
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
