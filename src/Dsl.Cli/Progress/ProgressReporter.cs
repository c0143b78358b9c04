using Dsl.Runtime.Models;

namespace Dsl.Cli.Progress;

/// <summary>A fit's steps, whatever its engine, on the progress line.</summary>
public sealed class ProgressReporter(ProgressLine line) : IProgress<FitProgress>
{
    public void Report(FitProgress value) => line.Report(value);
}
