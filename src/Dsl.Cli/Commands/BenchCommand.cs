using System.CommandLine;
using Dsl.Cli.Bench;
using Dsl.Cli.Progress;
using Dsl.Runtime.Benchmarks;

namespace Dsl.Cli.Commands;

/// <summary>`dsl bench kernels [--json]`: per-core throughput of the sampling kernels, under stable keys.</summary>
public static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("target") { Description = "kernels, ursm, scvi, deepmc or gimvi." };
        var json = new Option<bool>("--json") { Description = "Print figures as JSON with stable keys (uniform_f64, pg1_mixed, multinomial_k3_n1000, ...)." };
        var only = new Option<string?>("--only") { Description = "Run only the workloads whose key starts with this prefix." };
        var seconds = new Option<double>("--seconds") { Description = "Time spent timing each workload.", DefaultValueFactory = _ => 0.25 };
        var large = new Option<bool>("--large") { Description = "scvi: also 100,000 x 720 cells read from a sparse 10x folder (a few minutes); deepmc: also 68,000 x 1,000." };
        var quiet = new Option<bool>("--quiet") { Description = "Print no progress (the figures still print)." };
        var command = new Command("bench", "Benchmark the sampling kernels (per core) or a model fit (URSM: seconds per EM iteration; scVI: seconds per epoch and GEMM GFLOP/s; deepMc: seconds per pass, peak memory, product GFLOP/s; gimVI: seconds per epoch of the CLI fit, with and without its adversary).") { target, json, only, seconds, large, quiet };
        command.SetAction(result => Run(result.GetValue(target)!, result.GetValue(json), result.GetValue(only), result.GetValue(seconds), result.GetValue(large), output,
            result.GetValue(quiet) ? TextWriter.Null : error));
        return command;
    }

    public static int Run(string target, bool json, string? only, double seconds, bool large, TextWriter output, TextWriter error)
    {
        if (target == "scvi") return ScviBench.Run(json, large, output, error);
        if (target == "ursm") return UrsmBench.Run(json, output, error);
        if (target == "deepmc") return DeepMcBench.Run(json, large, output, error);
        if (target == "gimvi") return GimviBench.Run(json, output, error);
        if (target != "kernels") throw new CliException($"unknown benchmark target '{target}'; use kernels, ursm, scvi, deepmc or gimvi");
        if (!(seconds > 0)) throw new CliException($"--seconds must be positive, not {seconds}");
        var workloads = KernelWorkloads.All().Where(w => only is null || w.Key.StartsWith(only, StringComparison.Ordinal)).ToList();
        if (workloads.Count == 0) throw new CliException($"no kernel workload key starts with '{only}'");
        var step = 0;
        IReadOnlyList<KernelBench.Figure> figures;
        using (var line = new ProgressLine(json ? ProgressMode.Quiet : ProgressOptions.OnScreen(error), error, "workload", workloads.Count))
            figures = KernelBench.Measure(workloads, TimeSpan.FromSeconds(seconds), key => line.Report(++step, key));
        output.Write(json ? KernelBench.Json(figures) + "\n" : KernelBench.Table(figures));
        return 0;
    }
}
