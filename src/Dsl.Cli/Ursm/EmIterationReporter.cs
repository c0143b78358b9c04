using Dsl.Cli.Progress;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Ursm;

/// <summary>Gibbs-EM iterations as progress: the expected complete log-likelihood after each M-step.</summary>
public sealed class EmIterationReporter(ProgressLine line) : IProgress<EmIteration>
{
    public void Report(EmIteration e) =>
        line.Report(e.Index, $"expected complete log-likelihood {e.ExpectedCompleteLogLikelihood:F1}, {e.Seconds:F2} s", e.ExpectedCompleteLogLikelihood);
}
