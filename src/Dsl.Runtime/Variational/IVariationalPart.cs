namespace Dsl.Runtime.Variational;

/// <summary>
/// The variational family of one cell plate of a model whose observations lie on several (gimVI's sequenced and
/// spatial cells): it steps minibatches of its own plate and shares the model's parameters with the other parts, so
/// their gradients add up before one optimiser step.
/// </summary>
public interface IVariationalPart<T> : IDeclaredVariational<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    /// <summary>The encoders alone on these elements, one draw from q each (training mode per the step): samples for an adversary.</summary>
    void Encode(ReadOnlySpan<int> elements, VariationalStep step);

    /// <summary>Completes a step taken with <see cref="VariationalStep.HoldBackward"/>: back-propagates into every parameter.</summary>
    void FinishBackward();

    /// <summary>
    /// After a step: an encoded latent's samples (rows x width) and the array its gradient with respect to them
    /// accumulates in, which a term outside the model may add to before <see cref="FinishBackward"/>. False for a node
    /// that is not an encoded latent of this part.
    /// </summary>
    bool TryLatentSamples(string node, out T[] samples, out T[] gradient, out int width);
}

/// <summary>A variational family over several cell plates, one part each (see <see cref="IVariationalPart{T}"/>).</summary>
public interface IJointVariational<T> : IVariationalModel<T> where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
{
    IReadOnlyList<IVariationalPart<T>> Parts { get; }

    /// <summary>Copies the fitted global parameters into the model's stored values.</summary>
    void StoreParameters();
}

/// <summary>A model whose elements come in parts (one per cell plate), each split, shuffled and batched on its own.</summary>
public interface IPartitionedElements
{
    /// <summary>The size of each part, in element order: part k holds elements [offset k, offset k + size k).</summary>
    IReadOnlyList<int> PartSizes { get; }

    /// <summary>The part whose cells a term sums over, or −1 for a term over every cell (an adversarial penalty).</summary>
    int PartOfTerm(int term);
}

/// <summary>A generated model over several cell plates: it makes its joint variational family for the generic fit.</summary>
public interface IJointVariationalDeclaredModel
{
    IJointVariational<float> CreateJointVariational(ulong seed);
}

/// <summary>A model with adversaries trained by their own optimisers, alternating with the model's steps.</summary>
public interface IAdversarialTraining
{
    /// <summary>Called after the optimiser's step on a training minibatch, with that minibatch and its step.</summary>
    void TrainAdversaries(ReadOnlySpan<int> elements, VariationalStep step);
}

/// <summary>State a model keeps outside its parameter set (its adversaries' weights and optimisers), saved in its checkpoints.</summary>
public interface ICheckpointExtras
{
    void WriteExtras(BinaryWriter writer);

    void ReadExtras(BinaryReader reader);
}
