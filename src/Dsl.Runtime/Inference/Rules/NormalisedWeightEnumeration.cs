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
/// rest_i &gt; f_i / (e_i - 1), where e_i = exp((psi_i - logit(u_i)) / R). The scan then compares each rest with its
/// threshold, and decides four entries at once wherever their thresholds are clear of the rests they could see.
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
        if (total > 0)
        {
            OnThresholds(weights, priorLogit, free, total, factor);
            Scan(weights, free, state, factor, sum);
        }
        else
        {
            // No counts: the prior alone decides, and the entries do not depend on one another.
            for (var k = 0; k < free.Length; k++) state[free[k]] = factor[k] < SpecialFunctions.Logistic(priorLogit[free[k]]) ? (byte)1 : (byte)0;
        }
        if (!onProbability.IsEmpty) OnProbabilities(weights, priorLogit, free, total, factor, onProbability[..entries]);
    }

    /// <summary>
    /// The sequential scan: thresholds[k] (for entry free[k]) is replaced by the rest the entry saw. Blocks of four
    /// entries are first tried at once: whatever the block's own entries do, each rest lies in [lo, hi] (all of them
    /// off, all of them on), so an entry whose threshold is outside that interval is decided without the others.
    /// Where all four are, the block costs a few vector operations instead of a chain of dependent compares; otherwise
    /// (rarely: the interval is a few weights wide) its entries are scanned one by one.
    /// </summary>
    internal static void Scan(ReadOnlySpan<double> weights, ReadOnlySpan<int> free, Span<byte> state, Span<double> thresholds, double sum)
    {
        var k = 0;
        for (; k + 4 <= free.Length; k += 4)
        {
            if (TryBlock(weights, free, state, thresholds, k, ref sum)) continue;
            for (var n = k; n < k + 4; n++) sum = Entry(weights, free[n], state, thresholds, n, sum);
        }
        for (; k < free.Length; k++) sum = Entry(weights, free[k], state, thresholds, k, sum);
    }

    /// <summary>One entry: on when its rest exceeds its threshold, or when nothing else is on to carry the counts. Returns the new sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Entry(ReadOnlySpan<double> weights, int i, Span<byte> state, Span<double> thresholds, int k, double sum)
    {
        var rest = sum - weights[i] * state[i];
        // Non-short-circuit: the outcome is a coin flip, so a branch would mispredict half the time.
        var on = (rest <= 0) | (rest > thresholds[k]);
        state[i] = on ? (byte)1 : (byte)0;
        thresholds[k] = rest;
        return on ? rest + weights[i] : rest;
    }

    /// <summary>Rounding allowance on the interval of rests: far above the few ulps the sums can differ by.</summary>
    private const double Margin = 1e-12;

    private static bool TryBlock(ReadOnlySpan<double> weights, ReadOnlySpan<int> free, Span<byte> state, Span<double> thresholds, int k, ref double sum)
    {
        var w = Gather(weights, free, k);
        var old = Vector256.Create((double)state[free[k]], state[free[k + 1]], state[free[k + 2]], state[free[k + 3]]);
        var wasOn = w * old;
        var lo = (sum - Vector256.Sum(wasOn)) * (1 - Margin);
        var hi = (sum + Vector256.Sum(w - wasOn)) * (1 + Margin);
        if (!(lo > 0)) return false;
        var t = Vector256.Create<double>(thresholds.Slice(k, 4));
        var on = Vector256.LessThan(t, Vector256.Create(lo));
        if ((on | Vector256.GreaterThan(t, Vector256.Create(hi))).ExtractMostSignificantBits() != 0b1111) return false;
        var change = w * (Vector256.ConditionalSelect(on, Vector256<double>.One, Vector256<double>.Zero) - old);
        // Each entry's rest: the sum with the block's earlier changes (an exclusive prefix sum), less its own old weight.
        var earlier = ShiftUp(change, 1);
        earlier += ShiftUp(earlier, 1);
        earlier += ShiftUp(earlier, 2);
        (Vector256.Create(sum) + earlier - wasOn).CopyTo(thresholds.Slice(k, 4));
        var bits = on.ExtractMostSignificantBits();
        for (var lane = 0; lane < 4; lane++) state[free[k + lane]] = (byte)((bits >> lane) & 1);
        sum += Vector256.Sum(change);
        return true;
    }

    /// <summary>Lanes moved up by one or two, zeros shifted in: (a, b, c, d) by 1 is (0, a, b, c).</summary>
    private static Vector256<double> ShiftUp(Vector256<double> x, int by) => by == 1
        ? Vector256.Shuffle(x, Vector256.Create(0L, 0, 1, 2)) & Vector256.Create(0, -1L, -1L, -1L).AsDouble()
        : Vector256.Shuffle(x, Vector256.Create(0L, 0, 0, 1)) & Vector256.Create(0, 0, -1L, -1L).AsDouble();

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
    /// Turns uniforms u_k into thresholds on the rest: with e = exp((psi_i - logit(u_k)) / R) for i = free[k], entry i is
    /// on iff u_k &lt; logistic(psi_i - R log1p(f_i / rest)) iff rest + f_i &lt; rest e iff rest &gt; f_i / (e - 1)
    /// (never when e &lt;= 1). In place, four at a time.
    /// </summary>
    private static void OnThresholds(ReadOnlySpan<double> weights, ReadOnlySpan<double> priorLogit, ReadOnlySpan<int> free, int total, Span<double> uniforms)
    {
        var scale = Vector256.Create(1.0 / total);
        var k = 0;
        for (; k + 4 <= uniforms.Length; k += 4)
        {
            var u = Vector256.Create<double>(uniforms[k..]);
            var e = Vector256.Exp((Gather(priorLogit, free, k) - Vector256.Log(u / (Vector256<double>.One - u))) * scale);
            var threshold = Gather(weights, free, k) / (e - Vector256<double>.One);
            Vector256.ConditionalSelect(Vector256.GreaterThan(e, Vector256<double>.One), threshold, Vector256.Create(double.PositiveInfinity)).CopyTo(uniforms[k..]);
        }
        for (; k < uniforms.Length; k++)
        {
            var u = uniforms[k];
            var e = Math.Exp((priorLogit[free[k]] - Math.Log(u / (1 - u))) / total);
            uniforms[k] = e > 1 ? weights[free[k]] / (e - 1) : double.PositiveInfinity;
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
