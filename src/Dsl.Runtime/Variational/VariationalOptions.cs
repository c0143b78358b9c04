namespace Dsl.Runtime.Variational;

/// <summary>Settings of a minibatch VI fit; the defaults are scvi-tools' (and the scVI paper's ε = 0.01).</summary>
public sealed record VariationalOptions
{
    public int Epochs { get; init; } = 400;
    public int BatchSize { get; init; } = 128;
    public double LearningRate { get; init; } = 1e-3;
    public double AdamEpsilon { get; init; } = 0.01;
    public double WeightDecay { get; init; } = 1e-6;

    /// <summary>Epochs over which the KL weight rises linearly from 0 to 1 (0: no warm-up).</summary>
    public int WarmupEpochs { get; init; } = 400;

    /// <summary>Share of the cells held out to compute the validation ELBO.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Stop after this many epochs without a better validation ELBO (0: never stop early).</summary>
    public int Patience { get; init; } = 45;

    /// <summary>
    /// After training, replace the batch-norm running averages by the statistics of one training-mode pass over the
    /// training cells at the final weights (see <see cref="VariationalDriver.EstimatePopulationStatistics{T}"/>).
    /// </summary>
    public bool PopulationStatistics { get; init; } = true;

    public ulong Seed { get; init; }
    public int Threads { get; init; } = System.Environment.ProcessorCount;

    /// <summary>A checkpoint can only resume a fit with the same settings (threads excepted: they do not change results).</summary>
    public string Fingerprint =>
        $"epochs={Epochs};batch={BatchSize};lr={LearningRate:R};eps={AdamEpsilon:R};wd={WeightDecay:R};warmup={WarmupEpochs};val={ValidationFraction:R};patience={Patience};seed={Seed}";
}
