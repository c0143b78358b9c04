using System.Globalization;
using System.Text.Json;
using Dsl.Analysis.Gimvi;
using Dsl.Cli.Progress;
using Dsl.Cli.Scvi;
using Dsl.Models.Gimvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Gimvi;

/// <summary>What `dsl fit gimvi` was asked for, besides the training settings.</summary>
/// <param name="Kappa">--kappa: the adversarial penalty's weight for this fit; null for the declaration's</param>
/// <param name="Members">--members: how many seeded fits to average; null for <see cref="GimviFitter.DefaultMembers"/></param>
public sealed record GimviRequest(string? Sequenced, string? Spatial, SpatialLikelihood Likelihood, int Latent, double? Kappa, bool Resume, bool Force, int? Members = null)
{
    public int MembersFor(GimviInputs inputs) => Members ?? GimviFitter.DefaultMembers(inputs);
}

/// <summary>
/// `dsl fit gimvi`: a sequencing and a spatial count matrix paired by gene name, the bundled gimVI declaration (or its
/// negative-binomial variant) trained jointly, then spatial_imputed.csv, the two latent tables, history.csv with every
/// ELBO term, summary.json and model/ (for `dsl impute` on new spatial cells).
/// </summary>
public static class GimviFitRunner
{
    public const int DefaultEpochs = 200;

    public static int Run(GimviRequest request, VariationalOptions options, OutputFolder folder, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var inputs = Read(request);
        // κ changes the objective: a checkpoint written at another one is another fit's.
        var checkpoint = new CheckpointPlan(folder.File("checkpoint.bin"), request.Resume, $"{inputs.Fingerprint()};kappa={request.Kappa?.ToString("R", CultureInfo.InvariantCulture) ?? "declared"}", request.Force);
        var members = request.MembersFor(inputs);
        for (var r = 1; r < members; r++) folder.File(Path.GetFileName(GimviFitter.MemberCheckpointPath(checkpoint.Path, r)));
        output.WriteLine($"fitting gimVI ({(request.Likelihood == SpatialLikelihood.Poisson ? "Poisson" : "negative-binomial")} spatial counts): {inputs.Sequenced.Cells} sequenced cells x " +
            $"{inputs.Sequenced.Genes} genes, {inputs.Spatial.Cells} spatial cells x {inputs.Spatial.Genes} genes; {Ensemble(members)}checkpoint {checkpoint.Path}");
        GimviFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, "epoch", options.Epochs * members);
            fit = GimviFitter.Fit(inputs, request.Likelihood, options, request.Latent, checkpoint, new EpochReporter(line), line.Note, request.Kappa, members);
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        Write(folder, request, inputs, fit, options);
        folder.Commit();
        output.WriteLine($"{fit.Members.Sum(m => m.Run.History.Count)} epochs, {fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }

    /// <summary>How the start line states an ensemble: nothing for a single fit.</summary>
    public static string Ensemble(int members) =>
        members == 1 ? "" : $"{members} seeded fits averaged (--members 1 for one; a pair this small varies with the seed); ";

    /// <summary>Both matrices read (raw integer counts) and paired by gene name; a bad pair is one line.</summary>
    public static GimviInputs Read(GimviRequest request)
    {
        var sequencedPath = request.Sequenced ?? throw new CliException("fit gimvi needs --seq, the scRNA-seq counts (10x folder, .h5ad, CSV/TSV with cells as rows, Matrix Market)");
        var spatialPath = request.Spatial ?? throw new CliException("fit gimvi needs --spatial, the spatial counts over a subset of the sequenced genes");
        try
        {
            return GimviInputs.Pair(CountFile.Load(sequencedPath), CountFile.Load(spatialPath), sequencedPath, spatialPath);
        }
        catch (ArgumentException e) { throw new CliException(e.Message); }
    }

    private static void Write(OutputFolder folder, GimviRequest request, GimviInputs inputs, GimviFit fit, VariationalOptions options)
    {
        var (sequenced, spatial) = (inputs.Sequenced, inputs.Spatial);
        WriteSpatial(folder, sequenced.GeneNames, spatial.CellNames, fit.SpatialImputed, fit.SpatialLatent, fit.Latent);
        WriteRows(folder.File("latent_seq.csv"), "cell", Enumerable.Range(1, fit.Latent).Select(d => $"z{d}").ToList(), sequenced.CellNames, fit.SequencedLatent);
        var terms = fit.First.Family.Terms.Select(t => t.Name).ToList();
        var columns = new[] { "member" }.Concat(terms.Select(t => $"training {t}")).Concat(terms.Select(t => $"validation {t}"))
            .Concat(["training_elbo", "validation_elbo", "kl_weight", "seconds"]).ToList();
        var history = fit.Members.SelectMany((m, r) => m.Run.History.Select(h => (Member: r + 1, Epoch: h))).ToList();
        CsvTable.Write(folder.File("history.csv"), "epoch", columns, history.Select(h => h.Epoch.Epoch.ToString(CultureInfo.InvariantCulture)).ToList(), (r, c) =>
        {
            var (member, h) = history[r];
            if (c == 0) return member;
            c--;
            return c < terms.Count ? h.Training[c]
                : c < 2 * terms.Count ? (h.Validation.Length > 0 ? h.Validation[c - terms.Count] : double.NaN)
                : (c - 2 * terms.Count) switch { 0 => h.TrainingElbo, 1 => h.ValidationElbo, 2 => h.KlWeight, _ => h.Seconds };
        });
        var first = fit.First.Run.History;
        var summary = new
        {
            model = request.Likelihood == SpatialLikelihood.Poisson ? "Gimvi" : "GimviNb",
            engine = "variational inference (joint minibatches of both cell plates)",
            sequenced = Path.GetFullPath(request.Sequenced!),
            spatial = Path.GetFullPath(request.Spatial!),
            data_fingerprint = inputs.Fingerprint(),
            sequenced_cells = sequenced.Cells,
            genes = sequenced.Genes,
            spatial_cells = spatial.Cells,
            spatial_genes = spatial.Genes,
            latent = fit.Latent,
            kappa = fit.First.Family.Discriminators.Select(d => d.Kappa).FirstOrDefault(),
            members = fit.Members.Count,
            member_seeds = fit.Members.Select(m => m.Seed).ToArray(),
            spatial_imputed = "each spatial cell's decoded frequencies over all sequenced genes (rho, normalised over every gene), at the posterior mean of its latent" +
                (fit.Members.Count == 1 ? "" : ", averaged over the members"),
            latents = fit.Members.Count == 1 ? "the fit's posterior means" : "the first member's posterior means (members' latent spaces are not aligned, so not averaged)",
            epochs = first.Count,
            settings = new { options.Epochs, options.BatchSize, options.LearningRate, options.WarmupEpochs, options.ValidationFraction, options.Seed, options.Threads },
            training_elbo = first.Count == 0 ? null : Finite(first[^1].TrainingElbo),
            // null when no cell was held out (a set too small for a tenth of it to round to one cell)
            validation_elbo = first.Count == 0 ? null : Finite(first[^1].ValidationElbo),
            seconds_per_epoch = history.Count == 0 ? (double?)null : history.Average(h => h.Epoch.Seconds),
            seconds_total = fit.Seconds,
        };
        AtomicFile.WriteText(folder.File("summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        GimviModelFolder.Write(folder, "model", inputs, fit, request.Likelihood);
    }

    /// <summary>A spatial cells x sequenced genes table and the cells' latent means, as `dsl fit gimvi` and `dsl impute` write them.</summary>
    public static void WriteSpatial(OutputFolder folder, IReadOnlyList<string> genes, IReadOnlyList<string> cells, float[] imputed, float[] latent, int dimensions)
    {
        WriteRows(folder.File("spatial_imputed.csv"), "cell", genes, cells, imputed);
        WriteRows(folder.File("latent_spatial.csv"), "cell", Enumerable.Range(1, dimensions).Select(d => $"z{d}").ToList(), cells, latent);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>A rows x columns float table streamed to an atomically committed CSV.</summary>
    private static void WriteRows(string path, string corner, IReadOnlyList<string> columns, IReadOnlyList<string> rows, float[] values)
    {
        using var pending = AtomicFile.Open(path);
        using (var table = new CsvTable(pending.Stream, corner, columns))
            for (var r = 0; r < rows.Count; r++) table.Row(rows[r], values.AsSpan(r * columns.Count, columns.Count));
        pending.Commit();
    }
}
