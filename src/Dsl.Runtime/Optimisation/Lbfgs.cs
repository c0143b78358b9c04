namespace Dsl.Runtime.Optimisation;

/// <summary>A loss and its gradient at a point: returns f(x) and writes ∇f(x); +∞ where f is not finite there.</summary>
public delegate double Loss(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>How an L-BFGS iteration ended.</summary>
public enum LbfgsStep
{
    /// <summary>The step satisfied the strong Wolfe conditions.</summary>
    Taken,

    /// <summary>No step along the search direction lowered the loss (at the limit of floating-point precision, or a non-smooth loss).</summary>
    Stalled,
}

/// <summary>
/// Limited-memory BFGS (Nocedal and Wright 2006, Algorithm 7.4 and 7.5) minimising a loss: the search direction is
/// the two-loop recursion over the last <c>m</c> correction pairs (s, y), scaled by sᵀy/yᵀy, and the step length
/// satisfies the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9; Algorithm 3.5 with its zoom, Algorithm 3.6, by
/// safeguarded quadratic interpolation). A pair with sᵀy ≤ 0 is not kept, so the implied Hessian stays positive
/// definite. Its whole state is public to a checkpoint, so a resumed run takes the same steps as one never stopped.
/// </summary>
public sealed class Lbfgs
{
    private const double SufficientDecrease = 1e-4, Curvature = 0.9;
    private const int MaxEvaluationsPerSearch = 30;
    private readonly Loss loss;
    private readonly double[] direction, trialX, trialGradient, alpha;

    /// <param name="x">the starting point, evaluated at once</param>
    public Lbfgs(Loss loss, double[] x, int memory)
    {
        this.loss = loss;
        X = x;
        Gradient = new double[x.Length];
        (direction, trialX, trialGradient) = (new double[x.Length], new double[x.Length], new double[x.Length]);
        S = Enumerable.Range(0, memory).Select(_ => new double[x.Length]).ToArray();
        Y = Enumerable.Range(0, memory).Select(_ => new double[x.Length]).ToArray();
        Rho = new double[memory];
        alpha = new double[memory];
        Value = loss(X, Gradient);
        Evaluations = 1;
    }

    public double[] X { get; }
    public double[] Gradient { get; }
    public double Value { get; private set; }
    public int Evaluations { get; private set; }

    /// <summary>The correction pairs, a ring of <see cref="Stored"/> pairs ending at <see cref="Newest"/>; ρ = 1/sᵀy.</summary>
    public double[][] S { get; }
    public double[][] Y { get; }
    public double[] Rho { get; }
    public int Stored { get; private set; }
    public int Newest { get; private set; } = -1;

    /// <summary>Restores the loss at X and the memory from a checkpoint (the arrays are filled by the caller).</summary>
    public void Restore(double value, int stored, int newest, int evaluations)
    {
        (Value, Stored, Newest, Evaluations) = (value, stored, newest, evaluations);
        loss(X, Gradient);
    }

    /// <summary>The length of the last accepted step, ‖x_{k+1} − x_k‖.</summary>
    public double LastStep { get; private set; }

    /// <summary>One iteration: a direction, a line search along it, and a new correction pair.</summary>
    public LbfgsStep Iterate()
    {
        Direction();
        var slope = Dot(Gradient, direction);
        if (!(slope < 0))
        {
            // Not a descent direction (the memory is stale): start again from steepest descent.
            (Stored, Newest) = (0, -1);
            Direction();
            slope = Dot(Gradient, direction);
            if (!(slope < 0)) return LbfgsStep.Stalled;
        }
        // The first step of a fresh memory is scaled so its longest move is 1; later, the unit step (L-BFGS's natural one).
        var first = Stored == 0 ? Math.Min(1, 1 / MaxAbs(direction)) : 1;
        var (found, value) = Search(first, slope);
        if (!found)
        {
            if (Stored == 0) return LbfgsStep.Stalled;
            (Stored, Newest) = (0, -1);
            return Iterate();
        }
        // Accept: s = x⁺ − x, y = ∇⁺ − ∇; keep the pair where curvature is positive.
        var next = (Newest + 1) % S.Length;
        var (s, y) = (S[next], Y[next]);
        for (var i = 0; i < X.Length; i++)
        {
            s[i] = trialX[i] - X[i];
            y[i] = trialGradient[i] - Gradient[i];
        }
        var sy = Dot(s, y);
        if (sy > 1e-300 * Dot(y, y) && sy > 0)
        {
            Rho[next] = 1 / sy;
            Newest = next;
            Stored = Math.Min(Stored + 1, S.Length);
        }
        LastStep = Math.Sqrt(Dot(s, s));
        trialX.CopyTo(X, 0);
        trialGradient.CopyTo(Gradient, 0);
        Value = value;
        return LbfgsStep.Taken;
    }

    /// <summary>d = −H∇ by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair.</summary>
    private void Direction()
    {
        for (var i = 0; i < direction.Length; i++) direction[i] = -Gradient[i];
        for (int n = 0, j = Newest; n < Stored; n++, j = (j - 1 + S.Length) % S.Length)
        {
            alpha[j] = Rho[j] * Dot(S[j], direction);
            Axpy(-alpha[j], Y[j], direction);
        }
        if (Stored > 0)
        {
            var gamma = 1 / (Rho[Newest] * Dot(Y[Newest], Y[Newest]));
            for (var i = 0; i < direction.Length; i++) direction[i] *= gamma;
        }
        for (int n = 0, j = (Newest - Stored + 1 + S.Length) % S.Length; n < Stored; n++, j = (j + 1) % S.Length)
        {
            var beta = Rho[j] * Dot(Y[j], direction);
            Axpy(alpha[j] - beta, S[j], direction);
        }
    }

    /// <summary>A step length meeting the strong Wolfe conditions (Algorithm 3.5), the trial point and gradient left at it.</summary>
    private (bool Found, double Value) Search(double initial, double slope0)
    {
        var f0 = Value;
        double previous = 0, previousValue = f0, previousSlope = slope0, step = initial;
        for (var evaluation = 0; evaluation < MaxEvaluationsPerSearch; evaluation++)
        {
            var (value, slope) = Trial(step);
            if (value > f0 + SufficientDecrease * step * slope0 || (evaluation > 0 && value >= previousValue))
                return Zoom(previous, previousValue, previousSlope, step, value, f0, slope0, MaxEvaluationsPerSearch - evaluation - 1);
            if (Math.Abs(slope) <= -Curvature * slope0) return (true, value);
            if (slope >= 0) return Zoom(step, value, slope, previous, previousValue, f0, slope0, MaxEvaluationsPerSearch - evaluation - 1);
            (previous, previousValue, previousSlope) = (step, value, slope);
            step *= 2;
        }
        return (false, f0);
    }

    /// <summary>Algorithm 3.6: shrinks [lo, hi] (lo the best point with sufficient decrease) by safeguarded quadratic interpolation.</summary>
    private (bool Found, double Value) Zoom(double lo, double loValue, double loSlope, double hi, double hiValue, double f0, double slope0, int budget)
    {
        for (var evaluation = 0; evaluation < budget; evaluation++)
        {
            // The minimiser of the quadratic through (lo, f_lo, f'_lo) and (hi, f_hi), kept inside the middle 80 % of the bracket.
            var width = hi - lo;
            var curvature = double.IsFinite(hiValue) ? hiValue - loValue - loSlope * width : double.NaN;
            var step = curvature > 0 ? lo - loSlope * width * width / (2 * curvature) : lo + width / 2;
            var (near, far) = (lo + 0.1 * width, lo + 0.9 * width);
            if (!double.IsFinite(step) || (step - near) * (step - far) > 0) step = lo + width / 2;
            var (value, slope) = Trial(step);
            if (value > f0 + SufficientDecrease * step * slope0 || value >= loValue)
                (hi, hiValue) = (step, value);
            else
            {
                if (Math.Abs(slope) <= -Curvature * slope0) return (true, value);
                if (slope * (hi - lo) >= 0) (hi, hiValue) = (lo, loValue);
                (lo, loValue, loSlope) = (step, value, slope);
            }
            if (Math.Abs(hi - lo) <= 1e-16 * Math.Max(1, Math.Abs(lo))) break;
        }
        // The bracket collapsed: settle for its best point if it lowered the loss (sufficient decrease holds there).
        if (lo > 0 && loValue < f0)
        {
            Trial(lo);
            return (true, loValue);
        }
        return (false, f0);
    }

    /// <summary>Evaluates the loss at x + step·d into the trial buffers; returns it and its slope along d.</summary>
    private (double Value, double Slope) Trial(double step)
    {
        for (var i = 0; i < X.Length; i++) trialX[i] = X[i] + step * direction[i];
        var value = loss(trialX, trialGradient);
        Evaluations++;
        if (!double.IsFinite(value)) return (double.PositiveInfinity, double.NaN);
        return (value, Dot(trialGradient, direction));
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y) => System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, a, y, y);

    private static double MaxAbs(ReadOnlySpan<double> x) => Math.Max(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(x) is var m && m > 0 ? Math.Abs(m) : 1, 1e-300);
}
