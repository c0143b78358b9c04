using System.Globalization;

namespace Dsl.Runtime.Optimisation;

/// <summary>Which optimiser a maximum-likelihood fit runs.</summary>
public enum Optimiser
{
    /// <summary>Full-batch L-BFGS to convergence (the default).</summary>
    Lbfgs,

    /// <summary>Adam on minibatches of the observations' rows, for a fixed number of epochs.</summary>
    Adam,
}

/// <summary>Settings of a maximum-likelihood fit by L-BFGS, or by minibatch Adam.</summary>
public sealed record PointEstimationOptions
{
    public Optimiser Optimiser { get; init; } = Optimiser.Lbfgs;

    /// <summary>What one step of the progress line is, and how many there are at most.</summary>
    public (string Step, int Total) Progress => Optimiser == Optimiser.Lbfgs ? ("L-BFGS iteration", MaxIterations) : ("Adam epoch", Epochs);

    /// <summary>Adam: passes over the rows.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Adam: rows of the observations' first plate per step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam: the step size.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>At most this many L-BFGS iterations.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Converged when an iteration changes the log likelihood by less than this, relative to its size (scipy's ftol is 2.2e-9).</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Correction pairs L-BFGS keeps (Nocedal and Wright suggest 3 to 20).</summary>
    public int Memory { get; init; } = 10;

    /// <summary>
    /// The sd of the Gaussian jitter added to the starting values on the unconstrained scale. A factorisation started
    /// at zero sits on a saddle whose gradient is zero, so the default breaks the symmetry; 0 starts exactly where
    /// the stored values are.
    /// </summary>
    public double InitJitter { get; init; } = 0.1;

    public ulong Seed { get; init; } = 1;

    /// <summary>Threads of the matrix products; the estimates do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The checkpoint is rewritten at most this often (and at the end), as its size is several copies of the parameters.</summary>
    public double CheckpointSeconds { get; init; } = 10;

    /// <summary>The settings a resumed run must share with the run that wrote the checkpoint (not the iteration budget).</summary>
    public string Fingerprint => Optimiser == Optimiser.Lbfgs
        ? string.Create(CultureInfo.InvariantCulture, $"lbfgs m={Memory} tol={Tolerance:R} jitter={InitJitter:R} seed={Seed}")
        : string.Create(CultureInfo.InvariantCulture, $"adam batch={BatchSize} rate={LearningRate:R} tol={Tolerance:R} jitter={InitJitter:R} seed={Seed}");
}
