using Dsl.Cli.Progress;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Scvi;

/// <summary>VI epochs as progress: the training and validation ELBO per cell of each epoch.</summary>
public sealed class EpochReporter(ProgressLine line) : IProgress<EpochRecord>
{
    public void Report(EpochRecord e) => line.Report(FitProgress.Of(e, "epoch", 0));
}
