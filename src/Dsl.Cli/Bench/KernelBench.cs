using System.Diagnostics;
using System.Text.Json;
using Dsl.Runtime.Benchmarks;

namespace Dsl.Cli.Bench;

/// <summary>
/// Times each kernel workload on one core: a warm-up call, then repeated calls for about a quarter second; the
/// rate reported is from the fastest call (the least disturbed by the rest of the machine).
/// </summary>
public static class KernelBench
{
    public sealed record Figure(string Key, string Description, double PerSecond, string Unit);

    public static IReadOnlyList<Figure> Measure(IReadOnlyList<KernelWorkload> workloads, TimeSpan budget, Action<string>? progress = null)
    {
        var figures = new List<Figure>();
        foreach (var workload in workloads)
        {
            progress?.Invoke(workload.Key);
            workload.Run();
            var best = double.MaxValue;
            var total = Stopwatch.StartNew();
            do
            {
                var clock = Stopwatch.StartNew();
                workload.Run();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            } while (total.Elapsed < budget);
            figures.Add(new Figure(workload.Key, workload.Description, workload.Items / best, workload.Unit));
        }
        return figures;
    }

    public static string Table(IReadOnlyList<Figure> figures)
    {
        var width = figures.Max(f => f.Key.Length);
        return string.Join("\n", figures.Select(f =>
            $"{f.Key.PadRight(width)}  {Human(f.PerSecond),10} {f.Unit}/s   {f.Description}")) + "\n";
    }

    /// <summary>{ "key": { "per_second": ..., "unit": "draws" }, ... } in workload order.</summary>
    public static string Json(IReadOnlyList<Figure> figures) =>
        JsonSerializer.Serialize(figures.ToDictionary(f => f.Key, f => new { per_second = Math.Round(f.PerSecond), unit = f.Unit }),
            new JsonSerializerOptions { WriteIndented = true });

    private static string Human(double rate) => rate switch
    {
        >= 1e9 => $"{rate / 1e9:0.00} G",
        >= 1e6 => $"{rate / 1e6:0.00} M",
        >= 1e3 => $"{rate / 1e3:0.00} k",
        _ => $"{rate:0.00} ",
    };
}
