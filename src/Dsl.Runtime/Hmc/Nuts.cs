using Dsl.Runtime.Random;

namespace Dsl.Runtime.Hmc;

/// <summary>What one NUTS transition did.</summary>
public readonly record struct NutsTransition(double AcceptStatistic, int TreeDepth, int LeapfrogSteps, bool Divergent, double LogDensity);

/// <summary>
/// The No-U-Turn sampler as Stan runs it (Hoffman and Gelman 2014; Betancourt 2017): a trajectory doubled forwards or
/// backwards at random until its ends turn back (the generalised criterion on the summed momentum, checked across
/// each subtree and the joins between them) or a leapfrog step diverges; the next state is drawn from the
/// trajectory in proportion to exp(-H), biased towards the newest subtree at the top level. Kinetic energy
/// ½ pᵀM⁻¹p with a diagonal or dense metric M⁻¹ (<see cref="Hmc.Metric"/>). Scratch vectors are allocated once, one set per tree depth.
/// </summary>
public sealed class Nuts
{
    private const double MaxEnergyError = 1000;
    private readonly ILogDensity density;
    private readonly int dimension;
    private readonly int maxDepth;
    private readonly State current, sample;
    private readonly Level[] levels;
    private readonly double[] pForwardForward, pSharpForwardForward, pForwardBackward, pSharpForwardBackward;
    private readonly double[] pBackwardForward, pSharpBackwardForward, pBackwardBackward, pSharpBackwardBackward;
    private readonly double[] rho, rhoForward, rhoBackward, rhoExtended;
    private readonly State forwardEnd, backwardEnd, proposal;
    private double initialEnergy, sumAcceptance;
    private int leapfrogs;
    private bool divergent;

    /// <summary>A point of phase space with its log density and gradient.</summary>
    private sealed class State
    {
        public readonly double[] Position, Momentum, Gradient;
        public double LogDensity;

        public State(int dimension)
        {
            Position = new double[dimension];
            Momentum = new double[dimension];
            Gradient = new double[dimension];
        }

        public void CopyFrom(State other)
        {
            other.Position.CopyTo(Position, 0);
            other.Momentum.CopyTo(Momentum, 0);
            other.Gradient.CopyTo(Gradient, 0);
            LogDensity = other.LogDensity;
        }
    }

    /// <summary>The vectors one level of the recursive tree building needs for its two halves.</summary>
    private sealed class Level
    {
        public readonly double[] PInitEnd, PSharpInitEnd, RhoInit, PFinalBegin, PSharpFinalBegin, RhoFinal, RhoExtended;
        public readonly State ProposalFinal;

        public Level(int dimension)
        {
            PInitEnd = new double[dimension];
            PSharpInitEnd = new double[dimension];
            RhoInit = new double[dimension];
            PFinalBegin = new double[dimension];
            PSharpFinalBegin = new double[dimension];
            RhoFinal = new double[dimension];
            RhoExtended = new double[dimension];
            ProposalFinal = new State(dimension);
        }
    }

    public Nuts(ILogDensity density, int maxDepth)
    {
        this.density = density;
        dimension = density.Dimension;
        this.maxDepth = maxDepth;
        Metric = new Metric(dimension);

        current = new State(dimension);
        sample = new State(dimension);
        forwardEnd = new State(dimension);
        backwardEnd = new State(dimension);
        proposal = new State(dimension);
        levels = Enumerable.Range(0, maxDepth + 1).Select(_ => new Level(dimension)).ToArray();
        double[] Vector() => new double[dimension];
        (pForwardForward, pSharpForwardForward, pForwardBackward, pSharpForwardBackward) = (Vector(), Vector(), Vector(), Vector());
        (pBackwardForward, pSharpBackwardForward, pBackwardBackward, pSharpBackwardBackward) = (Vector(), Vector(), Vector(), Vector());
        (rho, rhoForward, rhoBackward, rhoExtended) = (Vector(), Vector(), Vector(), Vector());
    }

    public double StepSize { get; set; } = 1;

    /// <summary>The inverse metric M⁻¹ (the posterior's variances or covariance, once adapted).</summary>
    public Metric Metric { get; }

    public ReadOnlySpan<double> Position => current.Position;

    public double CurrentLogDensity => current.LogDensity;

    /// <summary>Moves to <paramref name="position"/>; false where the log density or its gradient is not finite there.</summary>
    public bool TrySetPosition(ReadOnlySpan<double> position)
    {
        position.CopyTo(current.Position);
        current.LogDensity = density.Evaluate(current.Position, current.Gradient);
        if (!double.IsFinite(current.LogDensity)) return false;
        foreach (var g in current.Gradient)
            if (!double.IsFinite(g)) return false;
        return true;
    }

    /// <summary>Re-evaluates the log density and gradient at the current position (after the target itself changed).</summary>
    public void Refresh() => current.LogDensity = density.Evaluate(current.Position, current.Gradient);

    /// <summary>
    /// Stan's initial step-size heuristic: double or halve ε from its current value until one leapfrog step's
    /// acceptance probability crosses 0.8.
    /// </summary>
    public void FindReasonableStepSize(ref RandomStream random)
    {
        var start = new State(dimension);
        start.CopyFrom(current);
        var direction = 0;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            current.CopyFrom(start);
            DrawMomentum(ref random);
            var energy = Energy(current);
            Leapfrog(current, StepSize);
            var change = energy - Energy(current);
            if (double.IsNaN(change)) change = double.NegativeInfinity;
            if (direction == 0) direction = change > Math.Log(0.8) ? 1 : -1;
            if (direction == 1 ? !(change > Math.Log(0.8)) : !(change < Math.Log(0.8))) break;
            StepSize = direction == 1 ? 2 * StepSize : 0.5 * StepSize;
            if (StepSize > 1e7 || StepSize == 0) break;
        }
        current.CopyFrom(start);
    }

    /// <summary>One transition from the current position.</summary>
    public NutsTransition Transition(ref RandomStream random)
    {
        DrawMomentum(ref random);
        initialEnergy = Energy(current);
        sample.CopyFrom(current);
        forwardEnd.CopyFrom(current);
        backwardEnd.CopyFrom(current);
        current.Momentum.CopyTo(pForwardForward, 0);
        current.Momentum.CopyTo(pForwardBackward, 0);
        current.Momentum.CopyTo(pBackwardForward, 0);
        current.Momentum.CopyTo(pBackwardBackward, 0);
        Sharp(current.Momentum, pSharpForwardForward);
        pSharpForwardForward.CopyTo(pSharpForwardBackward, 0);
        pSharpForwardForward.CopyTo(pSharpBackwardForward, 0);
        pSharpForwardForward.CopyTo(pSharpBackwardBackward, 0);
        current.Momentum.CopyTo(rho, 0);
        var logSumWeight = 0.0;
        var depth = 0;
        (leapfrogs, sumAcceptance, divergent) = (0, 0, false);
        while (depth < maxDepth)
        {
            Array.Clear(rhoForward);
            Array.Clear(rhoBackward);
            var logSumWeightSubtree = double.NegativeInfinity;
            bool valid;
            if (random.NextDouble() > 0.5)
            {
                current.CopyFrom(forwardEnd);
                rho.CopyTo(rhoBackward, 0);
                pForwardBackward.CopyTo(pBackwardForward, 0);
                pSharpForwardBackward.CopyTo(pSharpBackwardForward, 0);
                valid = BuildTree(depth, proposal, pSharpForwardBackward, pSharpForwardForward, rhoForward, pForwardBackward, pForwardForward, 1, ref logSumWeightSubtree, ref random);
                forwardEnd.CopyFrom(current);
            }
            else
            {
                current.CopyFrom(backwardEnd);
                rho.CopyTo(rhoForward, 0);
                pBackwardForward.CopyTo(pForwardBackward, 0);
                pSharpBackwardForward.CopyTo(pSharpForwardBackward, 0);
                valid = BuildTree(depth, proposal, pSharpBackwardForward, pSharpBackwardBackward, rhoBackward, pBackwardForward, pBackwardBackward, -1, ref logSumWeightSubtree, ref random);
                backwardEnd.CopyFrom(current);
            }
            if (!valid) break;
            depth++;
            // Biased progressive sampling: the new subtree replaces the sample with probability min(1, w_new / w_old).
            if (logSumWeightSubtree > logSumWeight || random.NextDouble() < Math.Exp(logSumWeightSubtree - logSumWeight)) sample.CopyFrom(proposal);
            logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);
            for (var i = 0; i < dimension; i++) rho[i] = rhoBackward[i] + rhoForward[i];
            var persist = NoUTurn(pSharpBackwardBackward, pSharpForwardForward, rho);
            for (var i = 0; i < dimension; i++) rhoExtended[i] = rhoBackward[i] + pForwardBackward[i];
            persist &= NoUTurn(pSharpBackwardBackward, pSharpForwardBackward, rhoExtended);
            for (var i = 0; i < dimension; i++) rhoExtended[i] = rhoForward[i] + pBackwardForward[i];
            persist &= NoUTurn(pSharpBackwardForward, pSharpForwardForward, rhoExtended);
            if (!persist) break;
        }
        current.CopyFrom(sample);
        return new NutsTransition(leapfrogs == 0 ? 0 : sumAcceptance / leapfrogs, depth, leapfrogs, divergent, current.LogDensity);
    }

    /// <summary>
    /// Builds a subtree of 2^depth leapfrog steps from <see cref="current"/> in direction <paramref name="sign"/>,
    /// leaving its last state in <see cref="current"/>, its multinomial sample in <paramref name="propose"/> and its
    /// summed momentum added to <paramref name="rhoSum"/>. False when it diverged or turned back.
    /// </summary>
    private bool BuildTree(int depth, State propose, double[] pSharpBegin, double[] pSharpEnd, double[] rhoSum, double[] pBegin, double[] pEnd,
        int sign, ref double logSumWeight, ref RandomStream random)
    {
        if (depth == 0)
        {
            Leapfrog(current, sign * StepSize);
            leapfrogs++;
            // M⁻¹p once: the U-turn criterion's p♯ and the kinetic energy pᵀp♯ (a dense metric's matrix-vector product).
            Sharp(current.Momentum, pSharpBegin);
            var energy = -current.LogDensity + 0.5 * Rows.Dot(current.Momentum, pSharpBegin);
            if (double.IsNaN(energy)) energy = double.PositiveInfinity;
            if (energy - initialEnergy > MaxEnergyError) divergent = true;
            logSumWeight = LogSumExp(logSumWeight, initialEnergy - energy);
            sumAcceptance += initialEnergy - energy > 0 ? 1 : Math.Exp(initialEnergy - energy);
            propose.CopyFrom(current);
            pSharpBegin.CopyTo(pSharpEnd, 0);
            for (var i = 0; i < dimension; i++) rhoSum[i] += current.Momentum[i];
            current.Momentum.CopyTo(pBegin, 0);
            current.Momentum.CopyTo(pEnd, 0);
            return !divergent;
        }
        var level = levels[depth];
        Array.Clear(level.RhoInit);
        var logSumWeightInit = double.NegativeInfinity;
        if (!BuildTree(depth - 1, propose, pSharpBegin, level.PSharpInitEnd, level.RhoInit, pBegin, level.PInitEnd, sign, ref logSumWeightInit, ref random))
            return false;
        Array.Clear(level.RhoFinal);
        var logSumWeightFinal = double.NegativeInfinity;
        if (!BuildTree(depth - 1, level.ProposalFinal, level.PSharpFinalBegin, pSharpEnd, level.RhoFinal, level.PFinalBegin, pEnd, sign, ref logSumWeightFinal, ref random))
            return false;
        // Within a subtree the sample is uniform-progressive: the second half replaces it in proportion to its weight.
        var logSumWeightSubtree = LogSumExp(logSumWeightInit, logSumWeightFinal);
        logSumWeight = LogSumExp(logSumWeight, logSumWeightSubtree);
        if (random.NextDouble() < Math.Exp(logSumWeightFinal - logSumWeightSubtree)) propose.CopyFrom(level.ProposalFinal);
        for (var i = 0; i < dimension; i++)
        {
            var subtree = level.RhoInit[i] + level.RhoFinal[i];
            rhoSum[i] += subtree;
            level.RhoExtended[i] = subtree;
        }
        var persist = NoUTurn(pSharpBegin, pSharpEnd, level.RhoExtended);
        for (var i = 0; i < dimension; i++) level.RhoExtended[i] = level.RhoInit[i] + level.PFinalBegin[i];
        persist &= NoUTurn(pSharpBegin, level.PSharpFinalBegin, level.RhoExtended);
        for (var i = 0; i < dimension; i++) level.RhoExtended[i] = level.RhoFinal[i] + level.PInitEnd[i];
        persist &= NoUTurn(level.PSharpInitEnd, pSharpEnd, level.RhoExtended);
        return persist;
    }

    /// <summary>The generalised no-U-turn criterion: both ends still move along the summed momentum.</summary>
    private bool NoUTurn(double[] pSharpMinus, double[] pSharpPlus, double[] rhoSum)
    {
        double plus = 0, minus = 0;
        for (var i = 0; i < dimension; i++)
        {
            plus += pSharpPlus[i] * rhoSum[i];
            minus += pSharpMinus[i] * rhoSum[i];
        }
        return plus > 0 && minus > 0;
    }

    private void Leapfrog(State state, double epsilon)
    {
        for (var i = 0; i < dimension; i++) state.Momentum[i] += 0.5 * epsilon * state.Gradient[i];
        Metric.Drift(state.Position, state.Momentum, epsilon);
        state.LogDensity = density.Evaluate(state.Position, state.Gradient);
        for (var i = 0; i < dimension; i++) state.Momentum[i] += 0.5 * epsilon * state.Gradient[i];
    }

    /// <summary>H = -log p(q) + ½ pᵀM⁻¹p.</summary>
    private double Energy(State state)
    {
        return -state.LogDensity + 0.5 * Metric.Kinetic(state.Momentum);
    }

    private void Sharp(double[] momentum, double[] destination) => Metric.Sharp(momentum, destination);

    /// <summary>p ~ Normal(0, M).</summary>
    private void DrawMomentum(ref RandomStream random) => Metric.Draw(current.Momentum, ref random);

    private static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
