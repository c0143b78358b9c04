using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;

namespace Dsl.Analysis.Gimvi;

using Dsl.Models.Gimvi;

/// <summary>Which likelihood the spatial counts get (eq 6): Poisson (smFISH, the paper's) or negative binomial (scvi-tools' default).</summary>
public enum SpatialLikelihood
{
    Poisson,
    NegativeBinomial,
}

/// <summary>
/// A fitted gimVI: the joint family and, from its evaluation-mode pass at the posterior means, each spatial cell's
/// decoded frequencies over all sequenced genes (gimVI's imputation, <c>get_imputed_values(normalized=True)</c>) and
/// both modalities' latent means.
/// </summary>
public sealed record GimviFit(IDeclaredModel Model, JointFamily<float> Family, VariationalResult Run, float[] SpatialImputed, float[] SequencedLatent,
    float[] SpatialLatent, int Latent, double Seconds);

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

    /// <param name="kappa">the adversarial penalty's weight κ (eq 10) for this fit; null: the declaration's (5)</param>
    public static GimviFit Fit(GimviInputs inputs, SpatialLikelihood likelihood, VariationalOptions options, int latent = DefaultLatent, CheckpointPlan? checkpoint = null,
        IProgress<EpochRecord>? progress = null, Action<string>? warn = null, double? kappa = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var empty = Enumerable.Range(0, inputs.Sequenced.Cells).Where(c => inputs.Sequenced.RowTotal(c) <= 0).ToList();
        if (empty.Count > 0)
            warn?.Invoke($"note: {empty.Count} sequenced cells have no counts (e.g. '{inputs.Sequenced.CellNames[empty[0]]}'); they are fitted like the others, and the library-size prior comes from the rest");
        var model = Prepare(inputs, likelihood, latent);
        var family = ((IJointVariationalDeclaredModel)model).CreateJointVariational(options.Seed) as JointFamily<float>
            ?? throw new InvalidOperationException("gimVI's generated family is not a JointFamily");
        if (kappa is { } weight)
            foreach (var discriminator in family.Discriminators) discriminator.Kappa = weight;
        var run = VariationalDriver.Fit(family, options, checkpoint, progress, warn);
        family.StoreParameters();
        var sequenced = family.Parts[0];
        var (imputed, spatialLatent) = ReadSpatial(family, inputs.Sequenced.Genes, latent);
        var sequencedLatent = Read(sequenced, "z", latent, network: false);
        return new GimviFit(model, family, run, imputed, sequencedLatent, spatialLatent, latent, clock.Elapsed.TotalSeconds);
    }

    /// <summary>eq 3's prior on the sequenced cells' log-library: the empirical moments of their log totals, as scVI's.</summary>
    public static (double LogMean, double LogVar) LibraryPriorOf(GimviInputs inputs)
    {
        var prior = LibraryPrior.FromData(new ScviInputs(inputs.Sequenced, new int[inputs.Sequenced.Cells], ["all"]));
        return (prior.LogMean[0], prior.LogVar[0]);
    }

    /// <summary>The spatial cells' decoded frequencies over every sequenced gene and their latent means, at the family's parameters.</summary>
    public static (float[] Imputed, float[] Latent) ReadSpatial(JointFamily<float> family, int genes, int latent) =>
        (Read(family.Parts[1], "rhoSpatial", genes, network: true), Read(family.Parts[1], "zSpatial", latent, network: false));

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
