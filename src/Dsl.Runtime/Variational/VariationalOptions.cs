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

    /// <summary>
    /// Stop after this many epochs without a better validation ELBO, counted only once the KL warm-up has ended
    /// (0, the default as in scvi-tools: never stop early). While the KL weight still rises the ELBO at full weight
    /// can stall for a long stretch; on 160 real PBMCs a patience of 45 counted from the start stopped at epoch 49 of
    /// 400 with a held-out log-likelihood 55 % worse than running on.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>
    /// After training, replace the batch-norm running averages by the statistics of one training-mode pass over the
    /// training cells at the final weights (see <see cref="VariationalDriver.EstimatePopulationStatistics{T}"/>).
    /// </summary>
    public bool PopulationStatistics { get; init; } = true;

    /// <summary>
    /// A checkpoint is written once this many seconds have passed since the last one, and after the last epoch, so a
    /// kill -9 loses at most this much training (0: after every epoch). Writing a sealed checkpoint of scVI's networks
    /// and Adam's moments every epoch cost about a fifth of a 0.1 s epoch at 3,005 x 558. Not part of the
    /// fingerprint: it does not change the fit.
    /// </summary>
    public double CheckpointSeconds { get; init; } = 10;

    public ulong Seed { get; init; }
    public int Threads { get; init; } = System.Environment.ProcessorCount;

    /// <summary>A checkpoint can only resume a fit with the same settings (threads excepted: they do not change results).</summary>
    public string Fingerprint =>
        $"epochs={Epochs};batch={BatchSize};lr={LearningRate:R};eps={AdamEpsilon:R};wd={WeightDecay:R};warmup={WarmupEpochs};val={ValidationFraction:R};patience={Patience};seed={Seed}";
}
