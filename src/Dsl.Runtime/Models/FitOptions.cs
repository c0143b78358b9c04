using Dsl.Runtime.Data;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Optimisation;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Models;

/// <summary>How to fit a declared model (<see cref="ModelFitting"/>): the engine, each engine's settings (the chosen one's are used), a checkpoint.</summary>
public sealed record FitOptions
{
    /// <summary>The engine by its method name (gibbs, gibbs-em, vi, nuts, lbfgs); null: the model's default (<see cref="FitEngines.Of"/>).</summary>
    public string? Method { get; init; }

    public GibbsEmOptions GibbsEm { get; init; } = new();

    /// <summary>NUTS's settings, and exact Gibbs's (chains, warm-up sweeps, kept sweeps, seed, threads).</summary>
    public NutsOptions Sampling { get; init; } = new();

    public VariationalOptions Variational { get; init; } = new();

    /// <summary>Draws from a variational fit's q summarised into the node summaries.</summary>
    public int VariationalDraws { get; init; } = 150;

    public PointEstimationOptions PointEstimation { get; init; } = new();

    /// <summary>Where the engines that keep one checkpoint and resume (exact Gibbs keeps none); null: none.</summary>
    public CheckpointPlan? Checkpoint { get; init; }

    /// <summary>Plate sizes no data spans (a mixture's components), given besides the data.</summary>
    public IReadOnlyDictionary<string, int>? PlateSizes { get; init; }
}
