using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>One progress line per VI epoch on stderr.</summary>
public sealed class EpochReporter(TextWriter error, int total) : IProgress<EpochRecord>
{
    public void Report(EpochRecord e) =>
        error.WriteLine($"epoch {e.Epoch}/{total}: ELBO per cell train {e.TrainingElbo:F2}, validation {(double.IsNaN(e.ValidationElbo) ? "n/a" : e.ValidationElbo.ToString("F2"))} (KL weight {e.KlWeight:F3}), {e.Seconds:F2} s");
}
