namespace Dsl.Runtime.Inference;

/// <summary>
/// What the Gibbs-EM driver needs from a model; the generator implements it from a declaration (the
/// <c>{Model}.Gibbs.g.cs</c> and <c>{Model}.MStep.g.cs</c> parts). Parameters live in the model's <c>{Name}Values</c>
/// properties, latent states and Monte Carlo statistics in generated fields.
/// </summary>
public interface IGibbsEmModel
{
    /// <summary>Checks that data and parameters have consistent shapes; throws <see cref="ArgumentException"/> naming the node.</summary>
    void ValidateShapes();

    /// <summary>Sets every latent to a starting value drawn from its prior given the current parameters.</summary>
    void InitializeLatents(ulong seed);

    /// <summary>One Gibbs sweep over every latent block; with <see cref="SweepContext.Record"/>, adds to the statistics.</summary>
    void Sweep(SweepContext context);

    /// <summary>Forgets the statistics gathered so far (at the start of each E-step).</summary>
    void ResetStatistics();

    /// <summary>
    /// The M-step: closed-form updates, then projected gradient ascent on the Monte Carlo estimate of the expected
    /// complete log-likelihood. Returns that estimate at the new parameters.
    /// </summary>
    double MaximiseParameters(MStepSettings settings);

    /// <summary>
    /// A latent's posterior mean over the sweeps recorded in the last E-step, row-major over its plates as the
    /// declaration orders them; false for a node that is not a latent, or before any sweep.
    /// </summary>
    bool TryReadPosteriorMean(string node, Span<double> destination);

    /// <summary>Writes parameters, latent states and the statistics needed to report posterior means.</summary>
    void SaveState(BinaryWriter writer);

    void LoadState(BinaryReader reader);
}
