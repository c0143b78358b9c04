using Dsl.Runtime.Random;

namespace Dsl.Runtime.Inference;

/// <summary>
/// One Gibbs sweep's settings. Every latent block draws from its own counter-based stream keyed by (seed, block,
/// element, sweep), so the result does not depend on how elements are spread over threads, and a run resumed at
/// sweep s draws exactly what an uninterrupted run would have.
/// </summary>
public readonly record struct SweepContext(ulong Seed, long Sweep, bool Record, int Threads)
{
    /// <summary>Blocks per sweep and element: far more than a sweep of one element ever uses.</summary>
    private const int SweepShift = 24;

    public RandomStream RandomFor(int block, int element) =>
        new(Seed, ((ulong)block << 40) | (uint)element, (ulong)Sweep << SweepShift);

    public ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = Math.Max(1, Threads) };
}

/// <summary>
/// How hard the M-step works on the parameters without a closed form, and on how many threads its Monte Carlo terms
/// run (the driver passes the fit's --threads; the terms sum fixed blocks in a fixed order, so the value does not
/// depend on it).
/// </summary>
public sealed record MStepSettings(int GradientIterations = 20, bool PlugInNormaliser = false, int Threads = 1)
{
    public ParallelOptions Parallelism => new() { MaxDegreeOfParallelism = Math.Max(1, Threads) };
}
