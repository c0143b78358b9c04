using Dsl.Runtime.Data;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;

namespace Dsl.Analysis.Ursm;

using Dsl.Models.Ursm;

/// <summary>
/// URSM's inputs. Either data source may be absent (Remark 2's submodels): single-cell counts Y [gene, cell] with
/// types, and bulk counts X [gene, bulk]. Marker genes (gene index -> type) initialise A with zeros elsewhere (section 4.5).
/// </summary>
public sealed record UrsmInputs(int Types, int[,]? SingleCell, int[]? CellTypes, int[,]? Bulk, IReadOnlyDictionary<int, int>? Markers = null)
{
    public int Genes => SingleCell?.GetLength(0) ?? Bulk?.GetLength(0) ?? 0;

    /// <summary>The <see cref="DataFingerprint"/> of everything fitted: counts, cell types and markers.</summary>
    public string Fingerprint()
    {
        using var fingerprint = new DataFingerprint();
        fingerprint.Add("types", [Types]).Add("single-cell", SingleCell).Add("cell types", CellTypes).Add("bulk", Bulk)
            .Add("markers", Markers?.OrderBy(m => m.Key).SelectMany(m => new[] { m.Key, m.Value }).ToArray());
        return fingerprint.Finish();
    }
}

/// <summary>What a URSM fit produced: the model (parameters and posterior means) and the run's history.</summary>
public sealed record UrsmFit(Ursm Model, GibbsEmResult Run, double Seconds);

/// <summary>
/// Fits URSM with the generated Gibbs-EM (Ursm.Gibbs.g.cs, Ursm.MStep.g.cs) through the generic driver. This class
/// only prepares the model: plate sizes, data, starting parameters.
/// </summary>
public static class UrsmFitter
{
    public static Ursm Prepare(UrsmInputs inputs)
    {
        Check(inputs);
        var n = inputs.Genes;
        // The declaration binds the data: plates and nodes by their declared names, as `dsl fit Ursm.cs` binds them.
        var model = new Ursm { Markers = inputs.Markers };
        IDeclaredModel declared = model;
        declared.SetPlateSize("Gene", n);
        declared.SetPlateSize("Type", inputs.Types);
        declared.SetPlateSize("Cell", inputs.SingleCell?.GetLength(1) ?? 0);
        declared.SetPlateSize("Bulk", inputs.Bulk?.GetLength(1) ?? 0);
        declared.StoreCounts("Y", RowMajor.ToCountMatrix(inputs.SingleCell ?? new int[n, 0]));
        declared.Store("G", (inputs.CellTypes ?? []).Select(t => (double)t).ToArray());
        declared.StoreCounts("X", RowMajor.ToCountMatrix(inputs.Bulk ?? new int[n, 0]));
        model.InitializeParameters();
        return model;
    }

    /// <param name="acceptOtherData">resume from a checkpoint written for other data (the CLI's --force)</param>
    public static UrsmFit Fit(UrsmInputs inputs, GibbsEmOptions options, string? checkpoint = null, bool resume = false, IProgress<EmIteration>? progress = null,
        bool acceptOtherData = false)
    {
        var model = Prepare(inputs);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = checkpoint is null ? null : new CheckpointPlan(checkpoint, resume, inputs.Fingerprint(), acceptOtherData);
        var run = new GibbsEmDriver(options).Run(model, plan, progress);
        return new UrsmFit(model, run, clock.Elapsed.TotalSeconds);
    }

    private static void Check(UrsmInputs inputs)
    {
        if (inputs.SingleCell is null && inputs.Bulk is null) throw new ArgumentException("give single-cell counts, bulk counts, or both");
        if (inputs.Types < 1) throw new ArgumentException($"K must be at least 1, not {inputs.Types}");
        if (inputs.SingleCell is { } y)
        {
            if (inputs.CellTypes is not { } types || types.Length != y.GetLength(1))
                throw new ArgumentException($"there are {y.GetLength(1)} single cells but {inputs.CellTypes?.Length ?? 0} cell types; give one type per cell");
            foreach (var t in types)
                if (t < 0 || t >= inputs.Types) throw new ArgumentException($"cell type {t} is outside 0..{inputs.Types - 1}; types are 0-indexed and K = {inputs.Types}");
            for (var c = 0; c < y.GetLength(1); c++)
            {
                var total = 0L;
                for (var i = 0; i < y.GetLength(0); i++)
                {
                    if (y[i, c] < 0) throw new ArgumentException($"single cell {c + 1} has a negative count ({y[i, c]}) at gene {i + 1}");
                    total += y[i, c];
                }
                if (total == 0) throw new ArgumentException($"single cell {c + 1} has no reads at all; remove it");
            }
        }
        if (inputs.Bulk is { } x)
        {
            if (x.GetLength(0) != inputs.Genes) throw new ArgumentException($"bulk data has {x.GetLength(0)} genes but single-cell data has {inputs.Genes}");
            foreach (var v in x) if (v < 0) throw new ArgumentException($"bulk data holds a negative count ({v})");
        }
        var present = inputs.CellTypes?.Distinct().Count() ?? 0;
        if (present < inputs.Types && inputs.Markers is null)
            throw new ArgumentException($"K = {inputs.Types} but only {present} types have single cells; give marker genes (--markers) so the other types can be told apart (section 4.5)");
    }
}
