namespace Dsl.Runtime.Inference;

/// <summary>Settings of a Gibbs-EM run (URSM section 3): each EM iteration is burn-in sweeps, recorded sweeps, an M-step.</summary>
public sealed record GibbsEmOptions
{
    public int BurnIn { get; init; } = 50;
    public int Samples { get; init; } = 150;
    public int MaxIterations { get; init; } = 30;
    public ulong Seed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Converged when the expected complete log-likelihood changes by less than this, relative to its size, on
    /// <see cref="PatienceIterations"/> iterations in a row. Monte Carlo noise in the estimate sets a floor on useful values.
    /// </summary>
    public double RelativeTolerance { get; init; } = 1e-5;
    public int PatienceIterations { get; init; } = 2;

    public MStepSettings MStep { get; init; } = new();

    /// <summary>The settings that must match for a checkpoint to be resumed (threads and the iteration cap may change).</summary>
    public string Fingerprint =>
        $"burnin={BurnIn};samples={Samples};seed={Seed};tol={RelativeTolerance};patience={PatienceIterations};" +
        $"mstep=MStepSettings {{ GradientIterations = {MStep.GradientIterations}, PlugInNormaliser = {MStep.PlugInNormaliser} }}";
}
