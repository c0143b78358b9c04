using Dsl.Cli.Progress;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Ursm;

/// <summary>Gibbs-EM iterations as progress: the expected complete log-likelihood after each M-step.</summary>
public sealed class EmIterationReporter(ProgressLine line) : IProgress<EmIteration>
{
    public void Report(EmIteration e) => line.Report(FitProgress.Of(e, "EM iteration", 0));
}
