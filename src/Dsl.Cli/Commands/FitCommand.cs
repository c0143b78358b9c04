using System.CommandLine;
using Dsl.Analysis.Scvi;
using Dsl.Analysis.Ursm;
using Dsl.Cli.Declared;
using Dsl.Cli.Progress;
using Dsl.Cli.Report;
using Dsl.Cli.Scvi;
using Dsl.Cli.Ursm;
using Dsl.Models.Scvi;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;

namespace Dsl.Cli.Commands;

/// <summary>`dsl fit ursm|scvi|deepmc|model.cs`: Gibbs-EM (URSM), minibatch VI (scVI), maximum likelihood (deepMc) or a declared model's engine; outputs and a checkpoint in --out.</summary>
public static class FitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "ursm, scvi, or a model file (.cs) whose declaration is fitted by the engine its planner chose." };
        var data = new Option<string[]>("--data")
        {
            Description = "model.cs: the data: a JSON file with a member per node (CmdStan's format; plate indices 1-based), or one node's own file, NODE=FILE " +
                "(a matrix: CSV/TSV, .mtx, 10x folder, .h5ad, rows over the node's first plate; NODE[RowPlate,ColumnPlate]=FILE to say otherwise; a one-plate node: FILE:COLUMN of a table). Repeat as needed.",
        };
        var plateSizes = new Option<string[]>("--plate") { Description = "model.cs: a plate's size, NAME=SIZE, for plates no data spans (a mixture's components)." };
        var modelName = new Option<string?>("--model") { Description = "model.cs: the [PlateModel] class to fit, where the file declares several." };
        var with = new Option<string[]>("--with") { Description = "model.cs: a further declaration file compiled beside it, holding a base its model extends (Extends = typeof(...)). Repeat as needed." };
        var method = new Option<string?>("--method")
        {
            Description = "model.cs: the engine, where the generator emitted several (`dsl check` lists them): gibbs (exact conjugate updates), gibbs-em, vi, nuts or lbfgs; by default exact Gibbs where every latent has a conjugate update, else Gibbs-EM where its rules claim the model.",
        };
        var counts = new Option<string?>("--counts") { Description = "scvi and deepmc: counts, a 10x folder, AnnData .h5ad, CSV/TSV (rows cells, columns genes) or Matrix Market file." };
        var metadata = new Option<string?>("--metadata") { Description = "scvi: per-cell metadata CSV (first column the cell name); an .h5ad's obs columns are used without it." };
        var batchKey = new Option<string?>("--batch-key") { Description = "scvi: metadata column holding each cell's batch." };
        var epochs = new Option<int>("--epochs") { Description = "scvi: training epochs.", DefaultValueFactory = _ => 400 };
        var learningRate = new Option<double>("--learning-rate")
        {
            Description = "scvi and model.cs fitted by VI: Adam's step size (scvi-tools' 1e-3 by default; a small data set takes few steps per epoch, and a larger step lets parameters far from their start get there).",
            DefaultValueFactory = _ => 1e-3,
        };
        var earlyStopping = new Option<bool>("--early-stopping") { Description = "scvi: stop when the validation ELBO has not improved for --patience epochs after the KL warm-up (off by default, as in scvi-tools)." };
        var patience = new Option<int?>("--patience") { Description = "scvi: epochs without improvement before --early-stopping stops (default 45)." };
        var transformBatch = new Option<string?>("--transform-batch") { Description = "scvi: write normalized.csv and imputed.csv as if every cell were in this batch." };
        var latent = new Option<int>("--latent") { Description = "scvi: latent dimensions.", DefaultValueFactory = _ => ScviFitter.DefaultLatent };
        var likelihood = LikelihoodOption.Create("scvi: ");
        var dense = DenseOutputOption.Create("scvi's normalized.csv and imputed.csv, and deepmc's imputed.csv");
        var layer = LayerOption.Create();
        var checkpointEvery = new Option<double>("--checkpoint-every")
        {
            Description = "scvi: seconds of training between checkpoints (also written after the last epoch; 0: every epoch). A kill loses at most this much.",
            DefaultValueFactory = _ => 10,
        };
        var outH5ad = new Option<string?>("--out-h5ad") { Description = "Also write the cells with the fit's results as AnnData (scvi: obsm X_scVI, layers scvi_normalized/scvi_imputed, obs scvi_library; ursm: layers ursm_dropout_prob/ursm_imputed, uns ursm_W, ursm_A; deepmc: layers deepmc_imputed/deepmc_log_expression)." };
        var sc = new Option<string?>("--sc") { Description = "Single-cell counts: CSV/TSV (rows cells, columns genes; header optional) or a 10x folder." };
        var typesFile = new Option<string?>("--types") { Description = "Cell types, one 0-indexed integer per line, in the order of --sc's cells." };
        var bulk = new Option<string?>("--bulk") { Description = "Bulk counts: CSV/TSV (rows samples, columns genes) or a 10x folder." };
        var markers = new Option<string?>("--markers") { Description = "Marker genes, 'gene,type' per line: A starts at zero for the other types (section 4.5)." };
        var k = new Option<int?>("-K") { Description = "ursm: number of cell types (required)." };
        var burnIn = new Option<int>("--burnin") { Description = "Gibbs burn-in sweeps per EM iteration.", DefaultValueFactory = _ => 50 };
        var samples = new Option<int>("--samples") { Description = "Recorded Gibbs sweeps per EM iteration (default 150; model.cs fitted by VI: draws from q summarised; by NUTS or exact Gibbs: draws per chain, default 1000).", DefaultValueFactory = _ => 150 };
        var saveDraws = new Option<bool>("--save-draws") { Description = "model.cs: also write draws.csv, every kept draw of every latent and deterministic entry (a row per draw, CmdStan's names)." };
        var chains = new Option<int>("--chains") { Description = "model.cs fitted by NUTS or exact Gibbs: independent chains, run side by side.", DefaultValueFactory = _ => 4 };
        var warmup = new Option<int>("--warmup") { Description = "model.cs fitted by NUTS: warm-up iterations per chain (step size and metric adaptation); by exact Gibbs: sweeps discarded per chain.", DefaultValueFactory = _ => 1000 };
        var metric = new Option<string>("--metric")
        {
            Description = "model.cs fitted by NUTS: the metric adapted in warm-up: auto (dense where a warm-up window of 100 draws is correlated, in up to 32 dimensions; diagonal otherwise), diag (Stan's default, diag_e) or dense (dense_e).",
            DefaultValueFactory = _ => "auto",
        };
        var iterations = new Option<int>("--iterations") { Description = "model.cs fitted by maximum likelihood: at most this many L-BFGS iterations.", DefaultValueFactory = _ => 1000 };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "model.cs fitted by maximum likelihood: converged when an iteration changes the log likelihood by less than this, relative to its size.",
            DefaultValueFactory = _ => 1e-10,
        };
        var initJitter = new Option<double>("--init-jitter")
        {
            Description = "model.cs fitted by maximum likelihood: sd of the seeded jitter added to the starting values on the unconstrained scale (breaks a factorisation's symmetry; 0: none).",
            DefaultValueFactory = _ => 0.1,
        };
        var optimiser = new Option<string>("--optimizer")
        {
            Description = "model.cs fitted by maximum likelihood, and deepmc: lbfgs (full batch, to convergence) or adam (minibatches of the observations' rows; --epochs, default 100, --batch-size, --learning-rate, default 0.01).",
            DefaultValueFactory = _ => "lbfgs",
        };
        var batchSize = new Option<int>("--batch-size") { Description = "--optimizer adam: rows of the observations' first plate per step.", DefaultValueFactory = _ => 256 };
        var layers = new Option<int>("--layers")
        {
            Description = "deepmc: layers of bases, 1, 2 or 3 (D1 Z, D1 D2 Z, D1 D2 D3 Z). One by default: deeper products, with the same prior on each factor, are penalised less for large values and extrapolated wildly on sparse data (the Visium spots).",
            DefaultValueFactory = _ => 1,
        };
        var widths = new Option<string?>("--widths") { Description = "deepmc: the layers' widths from the genes' side to the rank, comma-separated (default 5 | 10,5 | 20,10,5)." };
        var topGenes = new Option<int>("--genes") { Description = "deepmc: genes of highest dispersion kept by the preprocessing.", DefaultValueFactory = _ => 1000 };
        var noPreprocess = new Option<bool>("--no-preprocess") { Description = "deepmc: fit the values as given (already normalised and on the scale to impute on), without the paper's filtering, scaling and log2(1 + x)." };
        var allEntries = new Option<bool>("--all") { Description = "deepmc: every entry of imputed.csv is the model's prediction (by default only the missing, zero, entries are)." };
        var emIters = new Option<int>("--em-iters") { Description = "Maximum EM iterations.", DefaultValueFactory = _ => 30 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: same seed, same output, whatever --threads.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var plugIn = new Option<bool>("--plug-in") { Description = "Use the paper's plug-in approximation of the multinomial normaliser in the M-step instead of Monte Carlo." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --out/checkpoint.bin (which must exist, and match these data and settings)." };
        var force = new Option<bool>("--force") { Description = "With --resume: continue even from a checkpoint written for other data of the same shape." };
        var outFolder = new Option<string>("--out") { Description = "Output folder (owned by the fit: outputs an earlier fit wrote there and this one does not are removed).", Required = true };
        var command = new Command("fit", "Fit a model. URSM: A.csv, W.csv, S.csv, alpha.csv, dropout_params.csv, cells.csv, elbo.csv, imputed.csv, summary.json. " +
            "scVI: latent.csv, normalized.csv, imputed.csv, library.csv, theta.csv (not for Poisson counts), history.csv, model/, summary.json. " +
            "deepMc: imputed.csv, factors/, history.csv, summary.json.")
            { model, sc, typesFile, bulk, markers, k, burnIn, samples, emIters, counts, layer, metadata, batchKey, epochs, earlyStopping, patience, latent, likelihood, dense,
              transformBatch, checkpointEvery, learningRate, seed, threads, plugIn, resume, force, outFolder, outH5ad, data, plateSizes, modelName, method, chains, warmup, metric, saveDraws,
              iterations, tolerance, initJitter, layers, widths, topGenes, noPreprocess, allEntries, optimiser, batchSize, with };
        var sequenced = new Option<string?>("--seq") { Description = "gimvi: the scRNA-seq counts (10x folder, .h5ad, CSV/TSV with cells as rows, Matrix Market), genes named." };
        var spatial = new Option<string?>("--spatial") { Description = "gimvi: the spatial counts, over a subset of the sequenced genes (matched by name)." };
        var spatialLikelihood = new Option<string>("--spatial-likelihood")
        {
            Description = "gimvi: the spatial counts' likelihood, nb (negative binomial, a dispersion per gene; scvi-tools' default) or poisson (the paper's, for smFISH).",
            DefaultValueFactory = _ => "nb",
        };
        spatialLikelihood.AcceptOnlyFromAmong("nb", "poisson");
        var kappa = new Option<double?>("--kappa") { Description = "gimvi: the weight of the adversarial mixing penalty (eq 10; default the declaration's, 5; 0 turns it off)." };
        var members = new Option<int?>("--members") { Description = "gimvi: how many independently seeded fits to train and average (default: 1 for pairs of 4,000 cells or more; below that, as many as fit in the cell passes of one 4,000-cell fit, at most 10: a small pair's imputation varies with the seed)." };
        command.Options.Add(kappa);
        command.Options.Add(members);
        command.Options.Add(sequenced);
        command.Options.Add(spatial);
        command.Options.Add(spatialLikelihood);
        var progress = new ProgressOptions();
        progress.AddTo(command);
        var viOnly = new Option[] { epochs, earlyStopping, patience, checkpointEvery, learningRate };
        var scviPreset = new Option[] { counts, layer, metadata, batchKey, latent, likelihood, dense, transformBatch };
        var scviOnly = scviPreset.Concat(viOnly).ToArray();
        var ursmInputs = new Option[] { sc, typesFile, bulk, markers, k };
        var gibbsOnly = new Option[] { burnIn, samples, emIters, plugIn };
        var nutsOnly = new Option[] { chains, warmup, metric };
        var mlOnly = new Option[] { iterations, tolerance, initJitter, optimiser, batchSize };
        var declaredOnly = new Option[] { data, plateSizes, modelName, method, chains, warmup, metric, saveDraws, with }.Concat(mlOnly).ToArray();
        var deepMcOnly = new Option[] { layers, widths, topGenes, noPreprocess, allEntries };
        var gimviOnly = new Option[] { sequenced, spatial, spatialLikelihood, kappa, members };
        // The options each engine of a declared model reads; those of the others are refused, naming the engine that fits it.
        var engineOptions = new Dictionary<string, Option[]>
        {
            [GibbsEmFit.Engine] = gibbsOnly, [SamplingFit.Engine] = [.. nutsOnly, samples], [ConjugateGibbsFit.Engine] = [chains, warmup, samples],
            [VariationalFit.Engine] = [.. viOnly, samples],
            [PointEstimationFit.Engine] = [.. mlOnly, checkpointEvery, epochs, learningRate],
        };
        command.SetAction(r =>
        {
            var name = r.GetValue(model)!;
            var declared = DeclaredModelLoader.IsModelFile(name);
            if (!declared && name is not ("ursm" or "scvi" or "deepmc" or "gimvi")) throw new CliException($"unknown model '{name}' for fit; use ursm, scvi, deepmc, gimvi or a model file (.cs)");
            var file = Path.GetFileName(name);
            CliArguments.RefuseUnused(r, (declared ? scviPreset.Concat(ursmInputs).Append(outH5ad).Concat(deepMcOnly)
                    : name == "scvi" ? ursmInputs.Concat(gibbsOnly).Concat(declaredOnly).Concat(deepMcOnly)
                    : name == "deepmc" ? ursmInputs.Concat(gibbsOnly).Concat(nutsOnly).Concat(viOnly.Except([checkpointEvery, epochs, learningRate])).Concat(scviPreset.Except([counts, layer, dense]))
                        .Concat([data, plateSizes, modelName, method, saveDraws, with])
                    : name == "gimvi" ? ursmInputs.Concat(gibbsOnly).Concat(declaredOnly).Concat(deepMcOnly).Concat(scviPreset.Except([latent])).Append(outH5ad)
                    : scviOnly.Concat(declaredOnly).Concat(deepMcOnly)).Concat(name == "gimvi" ? [] : gimviOnly),
                declared ? $"fit {file} (they belong to the ursm, scvi, deepmc and gimvi presets)" : $"fit {name}");
            if (r.GetValue(force) && !r.GetValue(resume)) throw new CliException("--force only applies with --resume (it accepts a checkpoint written for other data)");
            if (r.GetValue(patience) is not null && !r.GetValue(earlyStopping)) throw new CliException("--patience only applies with --early-stopping");
            var folder = OutputFolder.Open(r.GetValue(outFolder)!, "fit");
            if (declared)
            {
                var request = new DeclaredFitRequest(name, r.GetValue(modelName), r.GetValue(data) ?? [], r.GetValue(plateSizes) ?? [], r.GetValue(resume), r.GetValue(force),
                    () => GibbsOptions(r, burnIn, samples, emIters, seed, threads, plugIn), () => VariationalSettings(r, epochs, earlyStopping, patience, checkpointEvery, learningRate, seed, threads),
                    () => NutsSettings(r, samples, chains, warmup, metric, seed, threads), CliArguments.Positive(r.GetValue(samples), "--samples"),
                    engine => CliArguments.RefuseUnused(r, engineOptions.Values.SelectMany(o => o).Except(engineOptions[engine]).Distinct(),
                        $"fit {file}, which {engine} fits (it uses {string.Join(", ", engineOptions[engine].Select(o => o.Name))})"))
                    {
                        SaveDraws = r.GetValue(saveDraws), Method = r.GetValue(method), With = r.GetValue(with) ?? [],
                        PointEstimation = () => PointEstimationSettings(r, iterations, tolerance, initJitter, checkpointEvery, seed, threads, optimiser, batchSize, epochs, learningRate),
                    };
                return DeclaredFitRunner.Run(request, folder, output, error, progress.Mode(r, error));
            }
            if (name == "gimvi")
            {
                // gimVI's reference trains 200 epochs; --epochs overrides.
                var settings = VariationalSettings(r, epochs, earlyStopping, patience, checkpointEvery, learningRate, seed, threads);
                if (r.GetResult(epochs) is null or { Implicit: true }) settings = settings with { Epochs = Gimvi.GimviFitRunner.DefaultEpochs };
                var request = new Gimvi.GimviRequest(r.GetValue(sequenced), r.GetValue(spatial),
                    r.GetValue(spatialLikelihood) == "poisson" ? Analysis.Gimvi.SpatialLikelihood.Poisson : Analysis.Gimvi.SpatialLikelihood.NegativeBinomial,
                    CliArguments.InRange(r.GetValue(latent), 1, ScviFitter.MaxLatent, "--latent"),
                    r.GetValue(kappa) is { } weight ? (weight >= 0 && double.IsFinite(weight) ? weight : throw new CliException($"--kappa must be 0 or more, not {weight}")) : null,
                    r.GetValue(resume), r.GetValue(force), r.GetValue(members) is { } count ? CliArguments.Positive(count, "--members") : null);
                return Gimvi.GimviFitRunner.Run(request, settings, folder, output, error, progress.Mode(r, error));
            }
            if (name == "deepmc")
            {
                var request = new DeepMc.DeepMcRequest(r.GetValue(counts), r.GetValue(layer), CliArguments.InRange(r.GetValue(layers), 1, 3, "--layers"),
                    r.GetValue(widths) is { } text ? Widths(text) : null, r.GetValue(topGenes), !r.GetValue(noPreprocess), r.GetValue(allEntries), DenseOutputOption.Parse(r.GetValue(dense)!),
                    PointEstimationSettings(r, iterations, tolerance, initJitter, checkpointEvery, seed, threads, optimiser, batchSize, epochs, learningRate), r.GetValue(resume), r.GetValue(force),
                    r.GetValue(outH5ad));
                return DeepMc.DeepMcFitRunner.Run(request, folder, output, error, progress.Mode(r, error));
            }
            if (name == "scvi")
            {
                var settings = VariationalSettings(r, epochs, earlyStopping, patience, checkpointEvery, learningRate, seed, threads);
                var request = new ScviRequest(r.GetValue(counts), r.GetValue(layer), r.GetValue(metadata), r.GetValue(batchKey),
                    CliArguments.InRange(r.GetValue(latent), 1, ScviFitter.MaxLatent, "--latent"), ScviVariants.Parse(r.GetValue(likelihood)!), r.GetValue(transformBatch),
                    DenseOutputOption.Parse(r.GetValue(dense)!), r.GetValue(outH5ad));
                return FitScvi(request, settings, folder, new Resumption(r.GetValue(resume), r.GetValue(force)), output, error, progress.Mode(r, error));
            }
            var types = r.GetValue(k) ?? throw new CliException("fit ursm needs -K, the number of cell types");
            if (types < 1) throw new CliException($"-K must be at least 1, not {types}");
            var ursmData = UrsmInputReader.Read(r.GetValue(sc), r.GetValue(typesFile), r.GetValue(bulk), types, r.GetValue(markers), error);
            var options = GibbsOptions(r, burnIn, samples, emIters, seed, threads, plugIn);
            var checkpoint = folder.File("checkpoint.bin");
            output.WriteLine($"fitting URSM: {ursmData.Genes.Count} genes, {ursmData.Cells.Count} cells, {ursmData.BulkSamples.Count} bulk samples, K={types}; checkpoint {checkpoint}");
            UrsmFit fit;
            try
            {
                using var line = new ProgressLine(progress.Mode(r, error), error, "EM iteration", options.MaxIterations);
                fit = UrsmFitter.Fit(ursmData.Inputs, options, checkpoint, r.GetValue(resume), new EmIterationReporter(line), acceptOtherData: r.GetValue(force));
            }
            catch (ArgumentException e) { throw new CliException(e.Message); }
            catch (InvalidDataException e) { throw new CliException(e.Message); }
            UrsmOutputWriter.Write(folder, ursmData, fit, options);
            if (r.GetValue(outH5ad) is { } h5ad) UrsmAnnDataWriter.Write(h5ad, ursmData, fit, options, error);
            FitReport.Write(folder);
            folder.Commit();
            output.WriteLine($"{fit.Run.Iterations.Count} EM iterations{(fit.Run.Converged ? " (converged)" : "")}, {fit.Seconds:F1} s; outputs in {Path.GetFullPath(folder.Path)}");
            return 0;
        });
        return command;
    }

    private static GibbsEmOptions GibbsOptions(ParseResult r, Option<int> burnIn, Option<int> samples, Option<int> emIters, Option<ulong> seed, Option<int> threads, Option<bool> plugIn) => new()
    {
        BurnIn = CliArguments.Positive(r.GetValue(burnIn), "--burnin", allowZero: true), Samples = CliArguments.Positive(r.GetValue(samples), "--samples"),
        MaxIterations = CliArguments.Positive(r.GetValue(emIters), "--em-iters"), Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
        MStep = new MStepSettings(PlugInNormaliser: r.GetValue(plugIn)),
    };

    /// <summary>--widths 40,20,10: positive integers, comma-separated.</summary>
    private static IReadOnlyList<int> Widths(string text) =>
        text.Split(',').Select(part => int.TryParse(part.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var w)
            ? w : throw new CliException($"--widths {text}: '{part.Trim()}' is not a whole number; give the widths comma-separated, e.g. 20,10")).ToList();

    /// <summary>Maximum likelihood's settings; --epochs and --learning-rate keep their VI defaults out of an Adam fit (100 epochs at 0.01).</summary>
    private static Runtime.Optimisation.PointEstimationOptions PointEstimationSettings(ParseResult r, Option<int> iterations, Option<double> tolerance, Option<double> initJitter,
        Option<double> checkpointEvery, Option<ulong> seed, Option<int> threads, Option<string> optimiser, Option<int> batchSize, Option<int> epochs, Option<double> learningRate) => new()
    {
        Optimiser = r.GetValue(optimiser) switch
        {
            "lbfgs" => Runtime.Optimisation.Optimiser.Lbfgs,
            "adam" => Runtime.Optimisation.Optimiser.Adam,
            var other => throw new CliException($"--optimizer {other}: use lbfgs or adam"),
        },
        BatchSize = CliArguments.Positive(r.GetValue(batchSize), "--batch-size"),
        Epochs = r.GetResult(epochs) is null or { Implicit: true } ? 100 : CliArguments.Positive(r.GetValue(epochs), "--epochs"),
        LearningRate = r.GetResult(learningRate) is null or { Implicit: true } ? 0.01
            : r.GetValue(learningRate) is var rate && rate > 0 && double.IsFinite(rate) ? rate : throw new CliException($"--learning-rate must be a positive number, not {rate}"),
        MaxIterations = CliArguments.Positive(r.GetValue(iterations), "--iterations"),
        Tolerance = r.GetValue(tolerance) is var tol && tol >= 0 && double.IsFinite(tol) ? tol : throw new CliException($"--tolerance must be 0 or a positive number, not {tol}"),
        InitJitter = r.GetValue(initJitter) is var jitter && jitter >= 0 && double.IsFinite(jitter) ? jitter : throw new CliException($"--init-jitter must be 0 or a positive number, not {jitter}"),
        CheckpointSeconds = r.GetValue(checkpointEvery) is var every && every >= 0 && double.IsFinite(every) ? every : throw new CliException($"--checkpoint-every must be 0 or more seconds, not {every}"),
        Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
    };

    /// <summary>NUTS at Stan's defaults; --samples counts draws per chain and defaults to 1000 here rather than the Gibbs sweeps' 150.</summary>
    private static NutsOptions NutsSettings(ParseResult r, Option<int> samples, Option<int> chains, Option<int> warmup, Option<string> metric, Option<ulong> seed,
        Option<int> threads) => new()
    {
        Metric = r.GetValue(metric) switch
        {
            "auto" => MetricKind.Auto,
            "diag" => MetricKind.Diagonal,
            "dense" => MetricKind.Dense,
            var other => throw new CliException($"--metric {other}: use auto, diag or dense"),
        },
        Chains = CliArguments.Positive(r.GetValue(chains), "--chains"), Warmup = CliArguments.Positive(r.GetValue(warmup), "--warmup", allowZero: true),
        Samples = r.GetResult(samples) is null or { Implicit: true } ? 1000 : CliArguments.Positive(r.GetValue(samples), "--samples"),
        Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
    };

    private static VariationalOptions VariationalSettings(ParseResult r, Option<int> epochs, Option<bool> earlyStopping, Option<int?> patience, Option<double> checkpointEvery,
        Option<double> learningRate, Option<ulong> seed, Option<int> threads) => new()
    {
        Epochs = CliArguments.Positive(r.GetValue(epochs), "--epochs"), Seed = r.GetValue(seed), Threads = CliArguments.Positive(r.GetValue(threads), "--threads"),
        LearningRate = r.GetValue(learningRate) is var rate && rate > 0 && double.IsFinite(rate) ? rate : throw new CliException($"--learning-rate must be a positive number, not {rate}"),
        Patience = r.GetValue(earlyStopping) ? CliArguments.Positive(r.GetValue(patience) ?? 45, "--patience") : 0,
        CheckpointSeconds = r.GetValue(checkpointEvery) is var every && every >= 0 && double.IsFinite(every)
            ? every : throw new CliException($"--checkpoint-every must be 0 or more seconds, not {every}"),
    };

    /// <summary>--resume and --force.</summary>
    private sealed record Resumption(bool Resume, bool Force);

    /// <summary>What `fit scvi` was asked for, besides the training settings.</summary>
    private sealed record ScviRequest(string? Counts, string? Layer, string? Metadata, string? BatchKey, int Latent, ScviLikelihood Likelihood, string? TransformBatch,
        DenseOutput Dense, string? OutH5ad);

    private static int FitScvi(ScviRequest request, VariationalOptions options, OutputFolder folder, Resumption resumption, TextWriter output, TextWriter error, ProgressMode mode)
    {
        var (countsPath, latent, likelihood) = (request.Counts, request.Latent, request.Likelihood);
        if (countsPath is null) throw new CliException("fit scvi needs --counts (a 10x folder, .h5ad, CSV/TSV or Matrix Market file)");
        var inputs = ScviInputReader.Read(countsPath, request.Metadata, request.BatchKey, request.Layer);
        var transformLevel = ScviOutputWriter.BatchLevel(request.TransformBatch, inputs.BatchLevels);
        var checkpoint = folder.File("checkpoint.bin");
        output.WriteLine($"fitting scVI ({ScviVariants.Name(likelihood)} counts): {inputs.Counts.Cells} cells, {inputs.Counts.Genes} genes, {inputs.BatchLevels.Count} batches, {options.Epochs} epochs; checkpoint {checkpoint}");
        ScviFit fit;
        try
        {
            using var line = new ProgressLine(mode, error, "epoch", options.Epochs);
            fit = ScviFitter.Fit(inputs, options, checkpoint, resumption.Resume, new EpochReporter(line), line.Note, latent, likelihood: likelihood,
                acceptOtherData: resumption.Force);
        }
        catch (ArgumentException e) { throw new CliException($"{countsPath}: {e.Message}"); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        catch (InvalidOperationException e) { throw new CliException(e.Message); }
        ScviOutputWriter.Write(folder, inputs, fit, options, request.Dense, transformLevel);
        if (request.OutH5ad is { } h5ad) ScviAnnDataWriter.Write(h5ad, countsPath, inputs, fit, options, transformLevel, error);
        FitReport.Write(folder);
        folder.Commit();
        var validation = fit.Run.History[^1].ValidationElbo;
        output.WriteLine($"{fit.Run.History.Count} epochs{(fit.Run.StoppedEarly ? " (stopped early)" : "")}, {fit.Seconds:F1} s; " +
            $"validation ELBO {(double.IsNaN(validation) ? "not computed (no held-out cells)" : $"{validation:F2} per cell")}; outputs in {Path.GetFullPath(folder.Path)}");
        return 0;
    }
}
