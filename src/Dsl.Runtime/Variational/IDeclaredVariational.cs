namespace Dsl.Runtime.Variational;

/// <summary>
/// A generated model that variational inference fits: it makes its variational family (the generated
/// <c>Variational&lt;float&gt;</c>) for the generic fit of declared models.
/// </summary>
public interface IVariationalDeclaredModel
{
    IDeclaredVariational<float> CreateVariational(ulong seed);
}

/// <summary>The variational family of a declared model, as the generic fit uses it besides training.</summary>
public interface IDeclaredVariational<T> : IVariationalModel<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    /// <summary>The plate minibatches are drawn from (cells).</summary>
    string ElementPlate { get; }

    /// <summary>
    /// Evaluation mode at one draw from q per element (keyed by seed and stream), at the global latents' values
    /// held since the last <see cref="SampleGlobals"/> (or training step).
    /// </summary>
    void Sample(ReadOnlySpan<int> elements, ulong seed, ulong stream);

    /// <summary>One draw of the global latents (those without an encoder) from their mean-field Gaussian guide, held for <see cref="Sample"/>.</summary>
    void SampleGlobals(ulong seed, ulong stream);

    /// <summary>
    /// After <see cref="IVariationalModel{T}.Infer"/> or <see cref="Sample"/>: an encoded latent's values for those
    /// elements, one row per element, its other plate across (rows x width); a global latent's held values, row-major
    /// over its plates. False for a node that is not a latent.
    /// </summary>
    bool TryReadLatent(string node, Span<double> destination);

    /// <summary>
    /// After <see cref="IVariationalModel{T}.Infer"/> or <see cref="Sample"/>: a network node's outputs for those elements,
    /// one row per element (rows x width). False for a node that is not a network.
    /// </summary>
    bool TryReadNetwork(string node, Span<double> destination);

    /// <summary>
    /// After <see cref="IVariationalModel{T}.Infer"/> or <see cref="Sample"/>: each element's conditional over the values
    /// of an allocation summed out of a latent's prior (a Gaussian-mixture prior's clusters), p(value | latent) one row
    /// per element (rows x values). False for any other node.
    /// </summary>
    bool TryReadConditional(string node, Span<double> destination) => false;

    /// <summary>Copies the fitted global parameters into the model's stored values (a positive one as exp of its log).</summary>
    void StoreParameters();
}
