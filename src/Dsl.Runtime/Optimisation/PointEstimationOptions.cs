using System.Globalization;

namespace Dsl.Runtime.Optimisation;

/// <summary>Settings of a maximum-likelihood fit by L-BFGS.</summary>
public sealed record PointEstimationOptions
{
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
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture, $"lbfgs m={Memory} tol={Tolerance:R} jitter={InitJitter:R} seed={Seed}");
}
