using System.Globalization;
using System.Text.Json;

namespace Dsl.Cli.Report;

/// <summary>
/// The report of a declared model's fit (`dsl fit model.cs`), from its output folder: the objective per EM
/// iteration or epoch, the plate diagram saved with the fit, the sampling diagnostics (the entries with the largest split
/// R-hat and smallest effective sample size), each node's estimates as a histogram, and the settings.
/// </summary>
public static class DeclaredReport
{
    public const string DiagramFile = "plate-diagram.svg";

    private const int SmallNode = 12;

    public static void Build(ReportPage page, string folder, JsonElement summary)
    {
        var history = OutputTable.Read(Path.Combine(folder, "history.csv"));
        var steps = history.Rows.Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var step = summary.GetProperty("step").GetString();
        page.Section("Objective", $"{steps.Length} {step}s by {summary.GetProperty("engine").GetString()}; {summary.GetProperty("outcome").GetString()}.");
        if (summary.GetProperty("objective").ValueKind == JsonValueKind.Null)
            // A sampler has no objective: its chains' adaptation and health, one row each.
            page.Table([step!, .. history.Columns], history.Rows.Select((row, r) => (IReadOnlyList<string>)[row, .. history.Fields[r].Select(Short)]));
        else
        {
            var objectives = history.Columns.Where(c => c is not ("seconds" or "kl_weight")).ToList();
            page.Figure(Charts.Lines(string.Join(" and ", objectives), step!, "per step", steps,
                objectives.Select(c => (c, history.NumbersOf(history.Column(c)))).ToList()), "The engine's objective after each step (history.csv).");
        }
        var diagram = Path.Combine(folder, DiagramFile);
        if (File.Exists(diagram)) page.Figure(File.ReadAllText(diagram), $"Plate diagram of {summary.GetProperty("model").GetString()}, from its declaration.");

        var table = OutputTable.Read(Path.Combine(folder, "summary.csv"));
        var (rhat, ess) = (table.Column("rhat"), table.Column("ess_bulk"));
        var sampled = Enumerable.Range(0, table.Rows.Count).Where(r => table.Fields[r][rhat] != "NaN").ToList();
        page.Section("Diagnostics", $"{sampled.Count} sampled entries (latents and deterministic nodes) of {table.Rows.Count}; " +
            "rank-normalised split R-hat above 1.01 or a bulk effective sample size below 400 asks for more draws (Vehtari et al. 2021).");
        page.Table(["entry", .. table.Columns],
            sampled.OrderByDescending(r => table.Number(r, rhat)).Take(10).Concat(sampled.OrderBy(r => table.Number(r, ess)).Take(10)).Distinct()
                .Select(r => (IReadOnlyList<string>)[table.Rows[r], .. table.Fields[r].Select(Short)]));

        page.Section("Estimates", "Each node's entries: parameters at their EM estimates, latents and deterministic nodes at their posterior means (all in summary.csv).");
        var mean = table.Column("mean");
        foreach (var node in table.Rows.Select((name, row) => (Node: NodeOf(name), Row: row)).GroupBy(e => e.Node))
        {
            var values = node.Select(e => table.Number(e.Row, mean)).Where(double.IsFinite).ToList();
            // A few entries read better as numbers than as a histogram.
            if (values.Count <= SmallNode) page.Table(["entry", "estimate"], node.Select(e => (IReadOnlyList<string>)[table.Rows[e.Row], Short(table.Fields[e.Row][mean])]));
            else
            {
                var (low, high) = (values.Min(), values.Max());
                if (low == high) high = low + 1;
                page.Figure(Charts.Histogram($"{node.Key}: {values.Count} entries", node.Key, values, low, high), $"Distribution of {node.Key}'s entries.");
            }
        }
        page.Section("Settings");
        page.Settings(summary);
    }

    private static string NodeOf(string entry) => entry.IndexOf('[') is var open and > 0 ? entry[..open] : entry;

    private static string Short(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : field;
}
