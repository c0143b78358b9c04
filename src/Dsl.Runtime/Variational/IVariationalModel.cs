using System;
using System.Collections.Generic;
using System.Numerics;
using Dsl.Runtime.Neural;

namespace Dsl.Runtime.Variational;

/// <summary>
/// One term of the ELBO: a log-likelihood (added) or a KL divergence (subtracted; weighted during warm-up unless
/// <paramref name="WarmedUp"/> is false).
/// </summary>
public sealed record ElboTerm(string Name, bool IsDivergence, bool WarmedUp = true)
{
    /// <summary>
    /// A penalty of the training loss outside the ELBO (an adversarial term): added to the loss in full like a divergence
    /// outside the warm-up, left out of the ELBO reported.
    /// </summary>
    public bool Penalty { get; init; }
}

/// <summary>How one minibatch is evaluated.</summary>
/// <param name="Training">batch statistics and dropout on (and running statistics updated)</param>
/// <param name="Gradients">add the gradient of the loss −(likelihood − KlWeight·KL)/rows to every parameter</param>
/// <param name="KlWeight">the warm-up weight of the KL terms</param>
/// <param name="Seed">with <paramref name="Stream"/>, keys the noise of this minibatch (reparameterisation, dropout)</param>
/// <param name="Population">
/// how many elements the objective this minibatch estimates sums over (the training cells; 0: all of
/// <see cref="IVariationalModel{T}.Elements"/>): terms of global latents, counted once for the whole data, are
/// shared out to each row as 1/Population of them
/// </param>
public readonly record struct VariationalStep(bool Training, bool Gradients, double KlWeight, ulong Seed, ulong Stream, int Population = 0)
{
    /// <summary>
    /// The rows the loss is averaged over (0: this minibatch's). A model over several cell plates steps each plate's
    /// part of one minibatch with the minibatch's total, so the loss is the mean over all its cells.
    /// </summary>
    public int LossRows { get; init; }

    /// <summary>
    /// Leave the backward pass for <see cref="IVariationalPart{T}.FinishBackward"/>, so that a term outside the model
    /// (an adversarial one) can add its gradient with respect to the latent samples first.
    /// </summary>
    public bool HoldBackward { get; init; }
}

/// <summary>
/// What a generated variational model offers the generic driver: its parameters, its ELBO terms, and one
/// minibatch step over elements of the plate minibatches are drawn from (cells).
/// </summary>
public interface IVariationalModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>How many elements (cells) minibatches are drawn from.</summary>
    int Elements { get; }

    ParameterSet<T> Parameters { get; }

    IReadOnlyList<ElboTerm> Terms { get; }

    int Threads { get; set; }

    /// <summary>Evaluates the minibatch; writes each term's sum over its elements into <paramref name="termSums"/>.</summary>
    void Step(ReadOnlySpan<int> elements, VariationalStep step, Span<double> termSums);

    /// <summary>Evaluation mode at the posterior means: fills the generated per-element outputs for these elements.</summary>
    void Infer(ReadOnlySpan<int> elements);

    /// <summary>
    /// Evaluation mode with one draw from q per element: writes log p(x, latents) − log q(latents | x) per element,
    /// the importance weight of that draw (stream <paramref name="stream"/> of <paramref name="seed"/> keys the draw).
    /// </summary>
    void LogImportanceWeights(ReadOnlySpan<int> elements, ulong seed, ulong stream, Span<double> weights);
}
