using System.Globalization;
using System.Text.Json;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Models;

namespace Dsl.Cli.Declared;

/// <summary>
/// A declared model's fit as files: <c>summary.csv</c> (a row per entry of every parameter and latent, named as
/// CmdStan names them, <c>A[3,2]</c>, 1-based), <c>nodes/NAME.csv</c> (each node's estimates over its plates, and each
/// network's output at the posterior means),
/// <c>history.csv</c> (the objective per EM iteration or epoch), <c>summary.json</c> (settings, timings, diagnostics), the plate
/// diagram and <c>report.html</c>.
/// </summary>
public static class DeclaredOutputWriter
{
    public static readonly string[] SummaryColumns = ["mean", "sd", "mcse", "q5", "q95", "ess_bulk", "ess_tail", "rhat"];

    /// <param name="saveDraws">also write draws.csv: every kept draw of every latent and deterministic entry</param>
    public static void Write(OutputFolder folder, LoadedModel model, DeclaredFit fit, IReadOnlyList<string> data, string fingerprint,
        IReadOnlyDictionary<string, int> plates, PlateLabels labels, ModelGraph graph, bool saveDraws = false)
    {
        WriteSummary(folder.File("summary.csv"), fit.Nodes);
        if (saveDraws && fit.Recorded is { } recorded) WriteDraws(folder.File("draws.csv"), recorded);
        foreach (var node in fit.Nodes.Concat(fit.DenseOutputs)) WriteNode(folder.File($"nodes/{node.Node.Name}.csv"), node, labels);
        var history = fit.History;
        CsvTable.Write(folder.File("history.csv"), history.Step, history.Columns,
            history.Rows.Select(r => r[0].ToString(CultureInfo.InvariantCulture)).ToList(), (r, c) => history.Rows[r][c + 1]);
        var rhat = fit.Nodes.Where(n => n.RHat is not null).SelectMany(n => n.RHat!).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
        var ess = fit.Nodes.Where(n => n.EssBulk is not null).SelectMany(n => n.EssBulk!.Concat(n.EssTail!)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
        var summary = new
        {
            model = model.Name,
            model_file = Path.GetFullPath(model.Path),
            engine = fit.Engine,
            data,
            data_fingerprint = fingerprint,
            plates,
            settings = fit.Settings,
            steps = history.Rows.Count,
            step = history.Step,
            outcome = fit.Outcome,
            resumed_after = fit.ResumedAfter,
            seconds_total = fit.Seconds,
            objective = history.Rows.Count == 0 || !fit.HasObjective ? (double?)null : history.Rows[^1][1],
            draws = fit.Draws,
            draws_note = fit.DrawsNote,
            max_rhat = double.IsNaN(rhat) ? (double?)null : rhat,
            min_ess = double.IsNaN(ess) ? (double?)null : ess,
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteText(folder.File(Report.DeclaredReport.DiagramFile), SvgGraphRenderer.Render(graph));
        Report.FitReport.Write(folder);
    }

    /// <summary>
    /// draws.csv, CmdStan's layout turned to one row per draw: the chain and the draw within it (both 1-based), then a
    /// column per entry named as in summary.csv. Nodes too large to keep every draw (summary.json's draws_note names
    /// them) are not in it.
    /// </summary>
    private static void WriteDraws(string path, PosteriorDraws draws)
    {
        var kept = draws.Kept.ToList();
        var columns = new List<string> { "draw" };
        var sources = new List<(float[] Draws, int Entries, int Entry)>();
        foreach (var (node, shape, values) in kept)
        {
            var entries = shape.Aggregate(1, (a, b) => a * b);
            for (var e = 0; e < entries; e++)
            {
                columns.Add(EntryName(node.Name, shape, e));
                sources.Add((values, entries, e));
            }
        }
        var perChain = draws.Recorded / draws.Chains;
        using var pending = AtomicFile.Open(path);
        using (var table = new CsvTable(pending.Stream, "chain", columns))
        {
            // The draws are kept as floats: written as floats, with no digits they never had.
            var row = new float[columns.Count];
            for (var d = 0; d < draws.Recorded; d++)
            {
                row[0] = d % perChain + 1;
                for (var c = 1; c < row.Length; c++) row[c] = sources[c - 1].Draws[d * sources[c - 1].Entries + sources[c - 1].Entry];
                table.Row((d / perChain + 1).ToString(CultureInfo.InvariantCulture), row);
            }
        }
        pending.Commit();
    }

    /// <summary>CmdStan's name of a row-major entry: <c>A[3,2]</c> (1-based), or the bare name of a scalar.</summary>
    public static string EntryName(string node, int[] shape, int flat)
    {
        if (shape.Length == 0) return node;
        var at = new int[shape.Length];
        for (var a = shape.Length - 1; a >= 0; a--)
        {
            at[a] = flat % shape[a] + 1;
            flat /= shape[a];
        }
        return $"{node}[{string.Join(",", at)}]";
    }

    /// <summary>Plate indices are reported 1-based, as the data files give them.</summary>
    private static double Shown(NodeSummary node, double value) => node.Node.Support == ValueSupport.PlateIndex ? value + 1 : value;

    private static void WriteSummary(string path, IReadOnlyList<NodeSummary> nodes)
    {
        using var pending = AtomicFile.Open(path);
        using (var table = new CsvTable(pending.Stream, "name", SummaryColumns))
        {
            foreach (var node in nodes)
            {
                for (var e = 0; e < node.Mean.Length; e++)
                {
                    var entry = e;
                    table.Row(EntryName(node.Node.Name, node.Shape, e), c => c switch
                    {
                        0 => Shown(node, node.Mean[entry]),
                        1 => node.Sd?[entry] ?? double.NaN,
                        2 => node.Mcse?[entry] ?? double.NaN,
                        3 => node.Q5 is null ? double.NaN : Shown(node, node.Q5[entry]),
                        4 => node.Q95 is null ? double.NaN : Shown(node, node.Q95[entry]),
                        5 => node.EssBulk?[entry] ?? double.NaN,
                        6 => node.EssTail?[entry] ?? double.NaN,
                        _ => node.RHat?[entry] ?? double.NaN,
                    });
                }
            }
        }
        pending.Commit();
    }

    /// <summary>
    /// A node's estimates laid out over its plates: a scalar as one row, one plate as rows (with sd and interval where
    /// sampled), two plates as a matrix, more as one row per entry named as in summary.csv. Entries are named as the data files named
    /// them, else by their 1-based positions.
    /// </summary>
    private static void WriteNode(string path, NodeSummary node, PlateLabels plateNames)
    {
        var plates = node.Node.Plates;
        var labels = plates.Select((plate, axis) => plateNames[plate] ?? Enumerable.Range(1, node.Shape[axis]).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList()).ToList();
        switch (plates.Count)
        {
            case 0:
            case 1:
                string[] columns = node.HasDraws ? ["mean", "sd", "q5", "q95"] : ["value"];
                var rows = plates.Count == 0 ? [node.Node.Name] : labels[0];
                CsvTable.Write(path, plates.Count == 0 ? "node" : plates[0], columns, rows, (r, c) => c switch
                {
                    0 => Shown(node, node.Mean[r]),
                    1 => node.Sd![r],
                    2 => Shown(node, node.Q5![r]),
                    _ => Shown(node, node.Q95![r]),
                });
                break;
            case 2:
                CsvTable.Write(path, $"{plates[0]}\\{plates[1]}", labels[1], labels[0], (r, c) => Shown(node, node.Mean[r * node.Shape[1] + c]));
                break;
            default:
                var names = Enumerable.Range(0, node.Mean.Length).Select(e => EntryName(node.Node.Name, node.Shape, e)).ToList();
                CsvTable.Write(path, "entry", ["mean"], names, (r, _) => Shown(node, node.Mean[r]));
                break;
        }
    }
}
