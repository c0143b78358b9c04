namespace Dsl.Runtime.Hmc;

/// <summary>Settings of a NUTS run; the defaults are Stan's.</summary>
public sealed record NutsOptions
{
    public int Chains { get; init; } = 4;

    /// <summary>Warm-up iterations per chain (step size and metric adaptation), discarded.</summary>
    public int Warmup { get; init; } = 1000;

    /// <summary>Kept draws per chain.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Target mean acceptance statistic of the step-size adaptation (Stan's adapt_delta).</summary>
    public double TargetAcceptance { get; init; } = 0.8;

    /// <summary>
    /// The metric adapted in warm-up: Auto (dense where a window's draws are correlated, in up to
    /// <see cref="Hmc.Metric.DenseUpTo"/> dimensions; diagonal otherwise), or Stan's diag_e or dense_e (Stan's default is diag_e).
    /// </summary>
    public MetricKind Metric { get; init; } = MetricKind.Auto;

    /// <summary>A trajectory doubles at most this many times (2^depth leapfrog steps).</summary>
    public int MaxTreeDepth { get; init; } = 10;

    /// <summary>Initial values are drawn uniformly from (-radius, radius) on the unconstrained scale.</summary>
    public double InitRadius { get; init; } = 2;

    public ulong Seed { get; init; } = 1;

    /// <summary>Chains run side by side on at most this many threads; the draws do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
