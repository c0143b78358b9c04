using Dsl.Cli.Progress;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>VI epochs as progress: the training and validation ELBO per cell of each epoch.</summary>
public sealed class EpochReporter(ProgressLine line) : IProgress<EpochRecord>
{
    public void Report(EpochRecord e)
    {
        var validation = double.IsNaN(e.ValidationElbo) ? "n/a" : e.ValidationElbo.ToString("F2");
        line.Report(e.Epoch, $"ELBO per cell train {e.TrainingElbo:F2}, validation {validation} (KL weight {e.KlWeight:F3}), {e.Seconds:F2} s",
            double.IsNaN(e.ValidationElbo) ? e.TrainingElbo : e.ValidationElbo);
    }
}
