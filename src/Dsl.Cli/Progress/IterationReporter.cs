namespace Dsl.Cli.Progress;

/// <summary>A sampler's iterations on the progress line, warm-up then sampling.</summary>
public sealed class IterationReporter(ProgressLine line, int warmup) : IProgress<int>
{
    public void Report(int iteration) => line.Report(iteration, iteration <= warmup ? "warm-up" : "sampling");
}
