using Dsl.Runtime.Models;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Conjugate;

/// <summary>A declared model whose every latent has an exact full conditional (implemented in <c>{Model}.Conjugate.g.cs</c>).</summary>
public interface IConjugateModel : IDeclaredModel
{
    /// <summary>
    /// A sampler at the stored data and plate sizes, with state and scratch of its own (one per chain). Given another
    /// sampler of the same model, it reads that one's copies of the observations (read only), so a fit's chains hold one.
    /// </summary>
    IConjugateSweep CreateSweep(IConjugateSweep? sharing = null);
}

/// <summary>Exact Gibbs: the latents' current values, and a sweep that draws each latent from its full conditional in turn.</summary>
public interface IConjugateSweep
{
    /// <summary>The latents in the order a sweep updates them.</summary>
    IReadOnlyList<string> Latents { get; }

    /// <summary>Sets a latent's current values, row-major; false for an unknown name.</summary>
    bool TrySetLatent(string node, ReadOnlySpan<double> values);

    /// <summary>Copies a latent's current values, row-major; false for an unknown name.</summary>
    bool TryReadLatent(string node, Span<double> destination);

    /// <summary>
    /// Draws every latent from its full conditional given the current values of the others, in <see cref="Latents"/>'
    /// order. A <paramref name="warmup"/> sweep also tunes the widths of its slice steps from the moves it makes; kept
    /// sweeps leave them fixed, so the kept draws come from one invariant kernel.
    /// </summary>
    void Sweep(ref RandomStream random, bool warmup);
}

/// <summary>
/// A Gibbs sampler whose sweeps take steps other than closed-form draws: Pólya-Gamma variables of logit children,
/// or slice steps for scalar latents no catalogue entry covers. Each step leaves the posterior invariant, but such
/// sweeps move slowly where the data pin an unknown far from its prior (a logistic slope near −5: ESS 243 of 4,000
/// draws, against NUTS's 4,700), so NUTS is the default wherever it was emitted too, and these sweeps are
/// `--method gibbs`.
/// </summary>
public interface IMixedGibbsModel : IConjugateModel;
