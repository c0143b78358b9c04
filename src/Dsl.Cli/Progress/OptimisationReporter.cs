using Dsl.Runtime.Models;

namespace Dsl.Cli.Progress;

/// <summary>An optimiser's iterations on the progress line, with the log likelihood reached.</summary>
public sealed class OptimisationReporter(ProgressLine line) : IProgress<(int Iteration, double LogLikelihood)>
{
    public void Report((int Iteration, double LogLikelihood) value) => line.Report(FitProgress.OfOptimiser("iteration", value.Iteration, 0, value.LogLikelihood));
}
