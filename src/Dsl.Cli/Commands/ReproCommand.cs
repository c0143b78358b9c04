using System.CommandLine;
using Dsl.Analysis.Ursm;
using Dsl.Cli.Progress;
using Dsl.Cli.Ursm;
using Dsl.Runtime.Inference;

namespace Dsl.Cli.Commands;

/// <summary>`dsl repro ursm`: section 4.2-4.4 over several seeds, next to the paper's figures.</summary>
public static class ReproCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "ursm." };
        var seeds = new Option<int>("--seeds") { Description = "Number of simulated data sets (seeds 1..n).", DefaultValueFactory = _ => 10 };
        var emIters = new Option<int>("--em-iters") { Description = "EM iterations per fit.", DefaultValueFactory = _ => 20 };
        var command = new Command("repro", "Reproduce a paper's simulation figures (URSM section 4.2-4.4, N=200, L=100, M=150, K=3).") { model, seeds, emIters };
        var progress = new ProgressOptions();
        progress.AddTo(command);
        command.SetAction(r =>
        {
            if (r.GetValue(model) != "ursm") throw new CliException($"unknown model '{r.GetValue(model)}' for repro; use ursm");
            var n = r.GetValue(seeds);
            if (n < 1) throw new CliException($"--seeds must be positive, not {n}");
            using var line = new ProgressLine(progress.Mode(r, error), error, "seed", n);
            Run(n, r.GetValue(emIters), output, line);
            return 0;
        });
        return command;
    }

    public static IReadOnlyList<UrsmScores> Run(int seeds, int emIterations, TextWriter output, ProgressLine? progress)
    {
        var scores = new List<UrsmScores>();
        output.WriteLine("seed  naive_L1  sc_L1  unified_L1  W_L1/sample  AUC    NMF_AUC  s/iter");
        for (var seed = 1; seed <= seeds; seed++)
        {
            var options = new GibbsEmOptions { MaxIterations = emIterations, Seed = (ulong)seed };
            var s = UrsmExperiment.Run(new UrsmSimulationSettings { Seed = (ulong)seed }, options);
            scores.Add(s);
            progress?.Report(seed, $"unified L1 of A {s.UnifiedL1:F3}, dropout AUC {s.Auc:F3}", s.UnifiedL1);
            output.WriteLine($"{seed,4}  {s.NaiveL1,8:F3}  {s.SingleCellL1,5:F3}  {s.UnifiedL1,10:F3}  {s.WL1PerSample,11:F3}  {s.Auc,5:F3}  {s.NmfAuc,7:F3}  {s.SecondsPerIteration,6:F3}");
        }
        output.WriteLine($"mean  {scores.Average(s => s.NaiveL1),8:F3}  {scores.Average(s => s.SingleCellL1),5:F3}  {scores.Average(s => s.UnifiedL1),10:F3}  {scores.Average(s => s.WL1PerSample),11:F3}  {scores.Average(s => s.Auc),5:F3}  {scores.Average(s => s.NmfAuc),7:F3}  {scores.Average(s => s.SecondsPerIteration),6:F3}");
        output.WriteLine("paper 0.81      0.27   0.17        -            -      -        ~180 (one core)");
        output.WriteLine("original implementation, one section 4.2-style data set: sc 0.29, unified 0.25, W 0.052/sample, AUC 0.70");
        return scores;
    }
}
