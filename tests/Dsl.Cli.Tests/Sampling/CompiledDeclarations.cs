using Dsl.Compiler;
using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// The textbook declarations (with README.md's example) and the posteriordb ones, compiled once for all the sampling tests (a compilation takes seconds),
/// with helpers to give a model data: posteriordb's files, or a simulation from the model's own priors.
/// </summary>
public sealed class CompiledDeclarations : IDisposable
{
    public static readonly string[] Posteriordb =
        ["earnings-logearn_height", "eight_schools-eight_schools_noncentered", "kidiq-kidscore_momiq", "low_dim_gauss_mix-low_dim_gauss_mix", "mesquite-logmesquite", "sblri-blr",
         // Five more from posteriordb's repository, whose transformed data are derived nodes (standardising, a design's centred columns, logs, indicators).
         "earnings-logearn_interaction_z", "diamonds-diamonds", "kidiq-kidscore_interaction", "mesquite-logmesquite_logvash", "kidiq_with_mom_work-kidscore_mom_work",
         // And two whose data are transformed by a change of variables (log10) and by the sample sd.
         "earnings-log10earn_height", "kidiq_with_mom_work-kidscore_interaction_z"];

    // README.md's example (Poisson counts with a random effect and parameters) and the complementary log-log
    // regression are generality models of their own.
    private readonly CompiledModels textbook = Compile([RepoPaths.Textbook, RepoPaths.GeneralityModel("PoissonRandomEffect"), RepoPaths.GeneralityModel("Germination")]);
    private readonly CompiledModels posteriordb = Compile(Posteriordb.Select(RepoPaths.PosteriordbModel).ToList());

    private static CompiledModels Compile(IReadOnlyList<string> paths)
    {
        var compiled = ModelCompiler.Compile(paths);
        if (!compiled.Succeeded) throw new InvalidOperationException(string.Join("\n", compiled.Messages));
        return compiled;
    }

    public IReadOnlyList<string> TextbookModels => textbook.ModelTypes.Select(t => t.Name).Order().ToList();

    public ISampledModel Textbook(string name) => (ISampledModel)Activator.CreateInstance(textbook.ModelTypes.Single(t => t.Name == name))!;

    /// <summary>A posteriordb model bound to its reference data.</summary>
    public ISampledModel Posterior(string folder)
    {
        var declaration = File.ReadAllText(RepoPaths.PosteriordbModel(folder));
        // Whole names: Logmesquite is a prefix of LogmesquiteLogvash.
        var type = posteriordb.ModelTypes.Single(t => System.Text.RegularExpressions.Regex.IsMatch(declaration, $@"partial class {t.Name}\b"));
        var model = (ISampledModel)Activator.CreateInstance(type)!;
        var data = Path.Combine(RepoPaths.PosteriordbFixture(folder), "data.json");
        DataBinder.Bind(model, JsonModelData.Read(data), data, _ => { });
        return model;
    }

    /// <summary>
    /// Gives every plate without a declared size <paramref name="size"/> entries and every data node values (reals
    /// in [0.5, 1.5], integers 10, plate indices uniform), then draws the latents and observed nodes from the model's
    /// own priors and stores the observed ones; returns the drawn latents (the truth).
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> SimulateInto(IDeclaredModel model, int size, ulong seed) => SimulateInto(model, _ => size, seed);

    /// <summary>As <see cref="SimulateInto(IDeclaredModel, int, ulong)"/>, each plate without a declared size given its own size.</summary>
    /// <param name="data">stores chosen data over the defaults before the simulation reads them (null: the defaults)</param>
    /// <param name="settings">what the declaration does not say, such as multinomial totals (null: the defaults)</param>
    public static IReadOnlyDictionary<string, double[]> SimulateInto(IDeclaredModel model, Func<string, int> size, ulong seed, Action<IDeclaredModel>? data = null,
        SimulationSettings? settings = null)
    {
        var descriptor = model.Descriptor;
        foreach (var plate in descriptor.Plates.Where(p => descriptor.DeclaredSizes?.ContainsKey(p) != true)) model.SetPlateSize(plate, size(plate));
        var random = new RandomStream(seed, 0);
        foreach (var node in descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Data))
        {
            var values = new double[node.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)];
            for (var e = 0; e < values.Length; e++)
                values[e] = node.Support switch
                {
                    ValueSupport.PlateIndex => random.NextUInt32() % (uint)model.GetPlateSize(node.IndexPlate!),
                    ValueSupport.Integer or ValueSupport.Count => 10,
                    _ => 0.5 + random.NextDouble(),
                };
            model.Store(node.Name, values);
        }
        data?.Invoke(model);
        model.InitializeParameters();
        var drawn = model.Simulate(seed, settings ?? new SimulationSettings());
        foreach (var node in descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Observed)) model.Store(node.Name, drawn[node.Name]);
        return drawn;
    }

    public void Dispose()
    {
        textbook.Dispose();
        posteriordb.Dispose();
    }
}
