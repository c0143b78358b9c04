using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// One vector attempt of the PG(1, z) sampler: Devroye's two-piece envelope, a proposal in the chosen piece, its
/// thinning and the alternating-series verdict, in four lanes at once with no inner loop.
/// </summary>
public static partial class PolyaGamma
{
    /// <summary>
    /// The probability of proposing from the right piece. The envelope's pieces have masses p (right) and q (left)
    /// with q / p = (4 / pi) k e^(kt) e^(-h) F, F the inverse Gaussian (mean 1/h) CDF at t. A left attempt is kept
    /// with probability A, so choosing left with weight q / A makes accepted proposals follow the envelope. For the
    /// 1/chi-square proposal A = e^(1/(2t)) sqrt(pi / (2t)) e^(-h) F; for the inverse Gaussian proposal A = F. F
    /// cancels in both, leaving one exp and no erfc.
    /// </summary>
    private static Vector256<double> RightChoice(Vector256<double> half)
    {
        var k = Vector256.Create(Math.PI * Math.PI / 8) + half * half * Vector256.Create(0.5);
        var chiSquare = Vector256.LessThan(half, Vector256.Create(1 / Truncation));
        var exponent = k * truncationV - Vector256.ConditionalSelect(chiSquare, Vector256.Create(0.5 / Truncation), half);
        var coefficient = Vector256.ConditionalSelect(chiSquare,
            Vector256.Create(4 / Math.PI * Math.Sqrt(2 * Truncation / Math.PI)), Vector256.Create(4 / Math.PI));
        // Overflow at |z| beyond ~90 makes the ratio infinite and the right choice exactly 0, its limit.
        return Vector256<double>.One / (Vector256<double>.One + coefficient * k * Vector256.Exp(exponent));
    }

    /// <summary>
    /// One attempt in every lane: the piece, a proposal x in it, and whether x is accepted. Right of t the proposal
    /// is t + E / k. Left of t it is t / (1 + t E)^2 thinned by exp(-t E^2 / 2 - h^2 x / 2) (a truncated inverse
    /// Gaussian when h &lt; 1/t), or an inverse Gaussian draw kept below t. Then the alternating series decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> X, Vector256<double> Accepted) Attempt(Vector256<double> half, Vector256<double> rightChoice, ref RandomStream random)
    {
        var one = Vector256<double>.One;
        var k = Vector256.Create(Math.PI * Math.PI / 8) + half * half * Vector256.Create(0.5);
        // One uniform picks the piece and, rescaled within the piece it picked, is again uniform: it becomes the
        // exponential of either piece's proposal.
        var u = random.NextDoubleVector();
        var right = Vector256.LessThan(u, rightChoice);
        var rescaled = Vector256.ConditionalSelect(right, u, u - rightChoice) / Vector256.ConditionalSelect(right, rightChoice, one - rightChoice);
        var exponential = -Vector256.Log(Vector256.Max(rescaled, Vector256.Create(double.Epsilon)));
        // Right: x = (t k + E) / k. Chi-square left: x = t / root^2. One division serves both, and the left
        // series' 1 / x = root^2 / t and (2 / (pi x))^(3/2) need none.
        var root = one + exponential * truncationV;
        var rootSquared = root * root;
        var x = Vector256.ConditionalSelect(right, truncationV * k + exponential, truncationV) / Vector256.ConditionalSelect(right, k, rootSquared);
        var series = new SeriesInput(
            Vector256.ConditionalSelect(right, Vector256.Create(-Math.PI * Math.PI / 8) * x, Vector256.Create(-0.5 / Truncation) * rootSquared),
            Vector256.ConditionalSelect(right, one, Vector256.Create(Math.Pow(2 / (Math.PI * Truncation), 1.5)) * rootSquared * root),
            one);
        var candidate = right;
        var left = ~right;
        if (VectorRandom.Any(left))
        {
            var chiSquare = Vector256.LessThan(half, Vector256.Create(1 / Truncation));
            var chiLeft = left & chiSquare;
            if (VectorRandom.Any(chiLeft))
            {
                var logKeep = Vector256.Create(-0.5) * (truncationV * exponential * exponential + half * half * x);
                series.Thinning = Vector256.ConditionalSelect(chiLeft, Vector256.Exp(logKeep), one);
                candidate |= chiLeft;
            }
            var inverseGaussianLeft = Vector256.AndNot(left, chiSquare);
            if (VectorRandom.Any(inverseGaussianLeft))
            {
                var xIg = InverseGaussian(one / half, ref random);
                var inverse = Vector256.Create(2 / Math.PI) / xIg;
                x = Vector256.ConditionalSelect(inverseGaussianLeft, xIg, x);
                series.BaseExponent = Vector256.ConditionalSelect(inverseGaussianLeft, Vector256.Create(-0.25 * Math.PI) * inverse, series.BaseExponent);
                series.Prefactor = Vector256.ConditionalSelect(inverseGaussianLeft, inverse * Vector256.Sqrt(inverse), series.Prefactor);
                candidate |= inverseGaussianLeft & Vector256.LessThan(xIg, truncationV);
            }
        }
        return (x, AcceptBySeries(series, candidate, ref random));
    }

    /// <summary>
    /// What the alternating series needs of a proposal: the exponent of its base (-pi^2 x / 8 right of t,
    /// -1 / (2x) left), its prefactor (1 right, (2 / (pi x))^(3/2) left), and the probability a thinning step keeps
    /// it (1 where there is none).
    /// </summary>
    private struct SeriesInput(Vector256<double> baseExponent, Vector256<double> prefactor, Vector256<double> thinning)
    {
        public Vector256<double> BaseExponent = baseExponent;
        public Vector256<double> Prefactor = prefactor;
        public Vector256<double> Thinning = thinning;
    }

    /// <summary>Inverse Gaussian (mean mu, shape 1) by Michael, Schucany &amp; Haas (1976), four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> InverseGaussian(Vector256<double> mu, ref RandomStream random)
    {
        var n = VectorRandom.Normal(ref random);
        var muY = mu * n * n;
        var x = mu + Vector256.Create(0.5) * mu * muY - Vector256.Create(0.5) * mu * Vector256.Sqrt(Vector256.Create(4.0) * muY + muY * muY);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(random.NextDoubleVector(), mu / (mu + x)), mu * mu / x, x);
    }

    /// <summary>
    /// The alternating series for the <paramref name="candidates"/> lanes; a lane's verdict is final once reached.
    /// Every coefficient is a power of one exp: right of t, a_n = k_n q^((2n+1)^2) with q = exp(-pi^2 x / 8); left
    /// of t, a_n = k_n (2 / (pi x))^(3/2) r^((2n+1)^2) with r = exp(-1 / (2x)). Successive powers come from
    /// q^((2n+3)^2) = q^((2n+1)^2) * q^(8n+8), so the whole loop needs one exp. A thinning step that keeps the
    /// proposal with probability p folds in with the same uniform: U &lt;= p and then (U / p) a_0 &lt;= S is
    /// U a_0 &lt;= p S, so the partial sums are scaled by p instead of drawing another uniform.
    /// </summary>
    private static Vector256<double> AcceptBySeries(in SeriesInput input, Vector256<double> candidates, ref RandomStream random)
    {
        var baseValue = Vector256.Exp(input.BaseExponent);
        var prefactor = input.Prefactor * input.Thinning;
        var power = baseValue;                         // base^((2n+1)^2) at n = 0
        var base8 = baseValue * baseValue;
        base8 *= base8;
        base8 *= base8;                                // base^8
        var step = base8;                              // base^(8n+8) at n = 0
        var s = Vector256.Create(0.5 * Math.PI) * prefactor * power;
        var y = random.NextDoubleVector() * Vector256.Create(0.5 * Math.PI) * input.Prefactor * power;
        var accepted = Vector256<double>.Zero;
        var undecided = candidates;
        // Nearly every lane is settled by n = 2, so the first two terms run without testing whether any is left.
        for (var n = 1; n <= 2 || VectorRandom.Any(undecided); n++)
        {
            power *= step;                             // base^((2n+1)^2)
            step *= base8;                             // base^(8n+8)
            var a = Vector256.Create((n + 0.5) * Math.PI) * prefactor * power;
            if ((n & 1) == 1)
            {
                s -= a;
                var yes = Vector256.LessThanOrEqual(y, s) & undecided;
                accepted |= yes;
                undecided = Vector256.AndNot(undecided, yes);
            }
            else
            {
                s += a;
                undecided = Vector256.AndNot(undecided, Vector256.GreaterThan(y, s));
            }
        }
        return accepted;
    }
}
