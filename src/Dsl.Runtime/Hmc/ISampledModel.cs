using Dsl.Runtime.Models;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Hmc;

/// <summary>A declared model whose latents the generator can sample by NUTS (implemented in <c>{Model}.Sampler.g.cs</c>).</summary>
public interface ISampledModel : IDeclaredModel
{
    /// <summary>The log posterior at the stored data and plate sizes, with scratch of its own (one per chain).</summary>
    IPosterior CreatePosterior();
}

/// <summary>A model's log posterior over its latents on the unconstrained scale, and the map back to their supports.</summary>
public interface IPosterior : ILogDensity
{
    /// <summary>The latents in the order their entries fill the unconstrained vector.</summary>
    IReadOnlyList<string> Latents { get; }

    /// <summary>
    /// A latent's values on its own support at an unconstrained point, row-major; false for an unknown name. A discrete
    /// latent summed out of the density is drawn from its conditional at the point, from <paramref name="random"/>.
    /// </summary>
    bool TryReadLatent(ReadOnlySpan<double> position, string node, Span<double> destination, ref RandomStream random);

    /// <summary>The parameters the log density reads from the model's storage (point-estimated, not sampled).</summary>
    IReadOnlyList<string> Parameters { get; }

    /// <summary>∂log p/∂(a parameter's values), row-major, at the point last evaluated; false for an unknown name.</summary>
    bool TryReadParameterGradient(string node, Span<double> destination);
}
