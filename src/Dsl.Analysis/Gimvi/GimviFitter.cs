using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>Which likelihood the spatial counts get (eq 6): Poisson (smFISH, the paper's) or negative binomial (scvi-tools' default).</summary>
public enum SpatialLikelihood
{
    Poisson,
    NegativeBinomial,
}

/// <summary>One independently seeded fit of an ensemble: its trained family and its training history.</summary>
public sealed record GimviMember(IDeclaredModel Model, JointFamily<float> Family, VariationalResult Run, ulong Seed);

/// <summary>
/// A fitted gimVI: its members (one fit, or several independently seeded ones) and, from their evaluation-mode passes
/// at the posterior means, each spatial cell's decoded frequencies over all sequenced genes (gimVI's imputation,
/// <c>get_imputed_values(normalized=True)</c>), averaged over the members, and the first member's latent means of both
/// modalities (the members' latent spaces are not aligned with one another, so they are not averaged).
/// </summary>
public sealed record GimviFit(IReadOnlyList<GimviMember> Members, float[] SpatialImputed, float[] SequencedLatent, float[] SpatialLatent, int Latent, double Seconds)
{
    /// <summary>The first member, seeded with the fit's own seed: its latents are the ones reported.</summary>
    public GimviMember First => Members[0];
}

/// <summary>Sets up the bundled gimVI declaration from a pair of count matrices, trains its joint family, and reads it.</summary>
public static class GimviFitter
{
    public const int DefaultLatent = 10;

    /// <summary>The declaration for the spatial likelihood, its plate sizes and data stored through the generic binding.</summary>
    /// <param name="libraryPrior">eq 3's log-library moments; by default the sequenced cells' (a saved model passes its own)</param>
    public static IDeclaredModel Prepare(GimviInputs inputs, SpatialLikelihood likelihood, int latent = DefaultLatent, (double LogMean, double LogVar)? libraryPrior = null)
    {
        IDeclaredModel model = likelihood == SpatialLikelihood.Poisson ? new Gimvi() : new GimviNb();
        model.SetPlateSize("SeqCell", inputs.Sequenced.Cells);
        model.SetPlateSize("SpatialCell", inputs.Spatial.Cells);
        model.SetPlateSize("Gene", inputs.Sequenced.Genes);
        model.SetPlateSize("SpatialGene", inputs.Spatial.Genes);
        model.SetPlateSize("Dim", latent);
        model.StoreCounts("x", inputs.Sequenced);
        model.StoreCounts("xSpatial", inputs.Spatial);
        model.Store("geneOf", inputs.GeneOf.Select(g => (double)g).ToArray());
        var (logMean, logVar) = libraryPrior ?? LibraryPriorOf(inputs);
        model.Store("libraryLogMean", [logMean]);
        model.Store("libraryLogVar", [logVar]);
        model.Store("spatialLibrary", inputs.SpatialLibrary());
        return model;
    }

    /// <param name="checkpoint">the first member's checkpoint; member r's lies beside it (<see cref="MemberCheckpointPath"/>)</param>
    /// <param name="kappa">the adversarial penalty's weight κ (eq 10) for this fit; null: the declaration's (5)</param>
    /// <param name="members">how many independently seeded fits to train, one after another, and average (see <see cref="DefaultMembers"/>)</param>
    public static GimviFit Fit(GimviInputs inputs, SpatialLikelihood likelihood, VariationalOptions options, int latent = DefaultLatent, CheckpointPlan? checkpoint = null,
        IProgress<EpochRecord>? progress = null, Action<string>? warn = null, double? kappa = null, int members = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var empty = Enumerable.Range(0, inputs.Sequenced.Cells).Where(c => inputs.Sequenced.RowTotal(c) <= 0).ToList();
        if (empty.Count > 0)
            warn?.Invoke($"note: {empty.Count} sequenced cells have no counts (e.g. '{inputs.Sequenced.CellNames[empty[0]]}'); they are fitted like the others, and the library-size prior comes from the rest");
        var seeds = MemberSeeds(options.Seed, members);
        var trained = new List<GimviMember>(members);
        for (var r = 0; r < members; r++)
            trained.Add(FitMember(inputs, likelihood, options with { Seed = seeds[r] }, latent, MemberCheckpoint(checkpoint, r),
                progress is null ? null : new MemberProgress(progress, r * options.Epochs), warn, kappa));
        var (imputed, spatialLatent) = ReadSpatial(trained.Select(m => m.Family), members, inputs.Spatial.Cells, inputs.Sequenced.Genes, latent);
        var sequencedLatent = Read(trained[0].Family.Parts[0], "z", latent, network: false);
        return new GimviFit(trained, imputed, sequencedLatent, spatialLatent, latent, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The members a fit trains by default. On small pairs one fit's imputation varies with its seed about as much as
    /// it differs from the k-nearest-neighbour baseline (on real pseudo-spatial pairs of 40-136 cells a side, the
    /// median Spearman's spread over seeds is 0.06-0.15), and such a fit takes seconds, so several seeded fits are
    /// averaged: as many as keep the ensemble's cell passes within those of one fit of <see cref="EnsembleCells"/>
    /// cells, at most <see cref="MaxMembers"/> (ten gained most of what twenty did on pbmc_small). A pair of that size
    /// or more gets one fit, as scvi-tools trains it.
    /// </summary>
    public static int DefaultMembers(GimviInputs inputs) =>
        Math.Max(1, Math.Min(MaxMembers, EnsembleCells / Math.Max(1, inputs.Sequenced.Cells + inputs.Spatial.Cells)));

    public const int EnsembleCells = 4000;
    public const int MaxMembers = 10;

    /// <summary>The first member takes the fit's seed (a one-member fit is the plain fit); the others, seeds drawn from it.</summary>
    public static ulong[] MemberSeeds(ulong seed, int members)
    {
        var stream = new RandomStream(seed, MemberSeedStream);
        return Enumerable.Range(0, members).Select(r => r == 0 ? seed : stream.NextUInt64()).ToArray();
    }

    private const ulong MemberSeedStream = 0x6E5E;

    /// <summary>Member r's checkpoint: checkpoint.bin for the first, checkpoint.member2.bin beside it for the second, and so on.</summary>
    public static string MemberCheckpointPath(string first, int member) =>
        member == 0 ? first : Path.Combine(Path.GetDirectoryName(first) ?? "", $"{Path.GetFileNameWithoutExtension(first)}.member{member + 1}{Path.GetExtension(first)}");

    /// <summary>
    /// Members train one after another, so a resumed ensemble finds the checkpoints of the members that had started: the
    /// first must be there (it is what --resume resumes), a later one without a checkpoint had not begun and starts afresh.
    /// </summary>
    private static CheckpointPlan? MemberCheckpoint(CheckpointPlan? first, int member)
    {
        if (first is null || member == 0) return first;
        var path = MemberCheckpointPath(first.Path, member);
        return first with { Path = path, Resume = first.Resume && File.Exists(path) };
    }

    private static GimviMember FitMember(GimviInputs inputs, SpatialLikelihood likelihood, VariationalOptions options, int latent, CheckpointPlan? checkpoint,
        IProgress<EpochRecord>? progress, Action<string>? warn, double? kappa)
    {
        var model = Prepare(inputs, likelihood, latent);
        var family = ((IJointVariationalDeclaredModel)model).CreateJointVariational(options.Seed) as JointFamily<float>
            ?? throw new InvalidOperationException("gimVI's generated family is not a JointFamily");
        if (kappa is { } weight)
            foreach (var discriminator in family.Discriminators) discriminator.Kappa = weight;
        var run = VariationalDriver.Fit(family, options, checkpoint, progress, warn);
        family.StoreParameters();
        return new GimviMember(model, family, run, options.Seed);
    }

    /// <summary>A member's epochs reported after those of the members before it, so progress counts through the whole ensemble.</summary>
    private sealed class MemberProgress(IProgress<EpochRecord> inner, int offset) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => inner.Report(value with { Epoch = value.Epoch + offset });
    }

    /// <summary>eq 3's prior on the sequenced cells' log-library: the empirical moments of their log totals, as scVI's.</summary>
    public static (double LogMean, double LogVar) LibraryPriorOf(GimviInputs inputs)
    {
        var prior = LibraryPrior.FromData(new ScviInputs(inputs.Sequenced, new int[inputs.Sequenced.Cells], ["all"]));
        return (prior.LogMean[0], prior.LogVar[0]);
    }

    /// <summary>
    /// The spatial cells' decoded frequencies over every sequenced gene, averaged over the members' families in their
    /// order (the fit and `dsl impute` both read them here, so they agree to the bit), and the first member's latent means.
    /// </summary>
    public static (float[] Imputed, float[] Latent) ReadSpatial(IEnumerable<JointFamily<float>> families, int members, int spatialCells, int genes, int latent)
    {
        var imputed = new float[(long)spatialCells * genes];
        float[]? first = null;
        foreach (var family in families)
        {
            var member = Read(family.Parts[1], "rhoSpatial", genes, network: true);
            for (long k = 0; k < imputed.LongLength; k++) imputed[k] += member[k] / members;
            first ??= Read(family.Parts[1], "zSpatial", latent, network: false);
        }
        return (imputed, first ?? throw new ArgumentException("an ensemble needs at least one member"));
    }

    /// <summary>A node's values for every element of a part, rows x width, in evaluation mode at the posterior means, in blocks.</summary>
    private static float[] Read(IVariationalPart<float> part, string node, int width, bool network)
    {
        const int block = 512;
        var values = new float[(long)part.Elements * width];
        var buffer = new double[block * width];
        for (var start = 0; start < part.Elements; start += block)
        {
            var rows = Math.Min(block, part.Elements - start);
            part.Infer(Enumerable.Range(start, rows).ToArray());
            var span = buffer.AsSpan(0, rows * width);
            if (!(network ? part.TryReadNetwork(node, span) : part.TryReadLatent(node, span)))
                throw new InvalidOperationException($"gimVI's {part.ElementPlate} part has no node '{node}'");
            for (var k = 0; k < span.Length; k++) values[(long)start * width + k] = (float)span[k];
        }
        return values;
    }
}
