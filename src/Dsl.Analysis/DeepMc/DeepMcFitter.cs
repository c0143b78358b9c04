using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;
using Dsl.Runtime.Models;
using Dsl.Runtime.Optimisation;

namespace Dsl.Analysis.DeepMc;

using Dsl.Models.DeepMc;

/// <summary>A deepMc fit: the fitted model (its factors in its storage), the generic fit's record, and the completed log matrix.</summary>
/// <param name="Completed">E[Y] at every entry, cells × genes row-major, on the log scale Y was fitted on</param>
public sealed record DeepMcFit(IPointEstimatedModel Model, DeclaredFit Fit, double[] Completed, IReadOnlyList<int> Widths);

/// <summary>
/// Fits the bundled DeepMc1/2/3 declarations through the generic maximum-likelihood path: plate sizes from the data
/// and the layer widths, Y stored as the observation, L-BFGS on the generated objective.
/// </summary>
public static class DeepMcFitter
{
    /// <summary>
    /// Widths from the gene side (D₁'s columns) to the rank of Z. The paper does not give its widths; these halve
    /// towards a rank of 5, which held out non-zeros of pbmc_small and lung_treutlein best among ranks 2 to 10 (the
    /// README's table), kept below what the matrix allows.
    /// </summary>
    public static IReadOnlyList<int> DefaultWidths(int layers, int genes, int cells)
    {
        var widths = layers switch { 1 => new[] { 5 }, 2 => new[] { 10, 5 }, 3 => new[] { 20, 10, 5 }, _ => throw new ArgumentException($"deepMc has 1, 2 or 3 layers, not {layers}") };
        var limit = Math.Min(genes, cells);
        return widths.Select(w => Math.Min(w, limit)).ToArray();
    }

    /// <summary>Refuses widths the model cannot use: one per layer, each at least 1 and at most min(genes, cells).</summary>
    public static void CheckWidths(int layers, IReadOnlyList<int> widths, int genes, int cells)
    {
        if (layers is < 1 or > 3) throw new ArgumentException($"--layers must be 1, 2 or 3, not {layers}");
        if (widths.Count != layers) throw new ArgumentException($"--widths gives {widths.Count} width(s) for {layers} layer(s); give one per layer, from the genes' side to the rank, e.g. {string.Join(",", DefaultWidths(layers, genes, cells))}");
        var limit = Math.Min(genes, cells);
        for (var i = 0; i < widths.Count; i++)
        {
            if (widths[i] < 1) throw new ArgumentException($"--widths: layer {i + 1}'s width must be at least 1, not {widths[i]}");
            if (widths[i] > limit)
                throw new ArgumentException($"--widths: layer {i + 1}'s width {widths[i]} is larger than the matrix allows: a factor of a {cells} x {genes} matrix has at most min(cells, genes) = {limit} columns; give a smaller width");
        }
    }

    public static DeepMcFit Fit(DeepMcInputs inputs, int layers, IReadOnlyList<int> widths, PointEstimationOptions options, CheckpointPlan? checkpoint,
        IProgress<(int Iteration, double LogLikelihood)>? progress, Action<string>? warn = null)
    {
        CheckWidths(layers, widths, inputs.Genes, inputs.Cells);
        IPointEstimatedModel model = layers switch { 1 => new DeepMc1(), 2 => new DeepMc2(), _ => new DeepMc3() };
        model.SetPlateSize("Cell", inputs.Cells);
        model.SetPlateSize("Gene", inputs.Genes);
        var plates = layers switch { 1 => new[] { "Rank" }, 2 => new[] { "Width1", "Rank" }, _ => new[] { "Width1", "Width2", "Rank" } };
        for (var i = 0; i < layers; i++) model.SetPlateSize(plates[i], widths[i]);
        model.Store("expression", inputs.Expression);
        model.InitializeParameters();
        var fit = PointEstimationFit.Fit(model, options, checkpoint, progress, warn);
        // The completed matrix is E[Y] of the observation, whatever the declaration calls it.
        var observed = model.Descriptor.Nodes.Single(n => n.Role == GraphNodeRole.Observed).Name;
        return new DeepMcFit(model, fit, fit.DenseOutputs.Single(o => o.Node.Name == PointEstimationFit.ExpectedName(observed)).Mean, widths);
    }

    /// <summary>The <see cref="DataFingerprint"/> of what is fitted: Y and its gene and cell names.</summary>
    public static string Fingerprint(DeepMcInputs inputs)
    {
        using var fingerprint = new DataFingerprint();
        return fingerprint.Add("expression", [inputs.Cells, inputs.Genes], inputs.Expression).Add("cells", inputs.CellNames).Add("genes", inputs.GeneNames).Finish();
    }
}
