using System.Reflection;
using Dsl.Compiler;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Inference.MStep;
using Dsl.Runtime.Models;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Cli.Tests.Declared;

/// <summary>
/// The M-step objectives generated for tests/declarations/UrsmVariants.cs against central differences, where a term is
/// a function of an expression of the parameter: UrsmCaptureEfficiency's multinomial weight A(i, G(l))·efficiency(i)
/// holds two parameters, and the normaliser's term reaches each through the weight's symbolic derivative (the
/// other one), by Monte Carlo over the recorded switches and by the plug-in means; UrsmLogDropout's logit is affine in
/// Log(A), and its Pólya-Gamma term reaches A through 1/A; UrsmSharedSlope's logit has one slope for all cells;
/// UrsmGeneDropoutEffect's and UrsmTypeDropoutIntercept's logits hold crossed coefficients, read at their current
/// draws in the Pólya-Gamma statistics of A; UrsmBulkAgeEffect's Dirichlet concentration differs between bulk
/// samples, a set per sample in the term of alpha and of the age effect; UrsmGeneEffectCovariate's crossed gene
/// effects regress on a covariate, their Monte Carlo log prior the term of the slope and of the variance;
/// UrsmConcentrationPrior's alpha has a Gamma prior whose rate is a parameter, a term of both objectives;
/// UrsmProfilePrior's profiles have a Dirichlet prior over their own simplex.
/// </summary>
public sealed class WeightObjectiveTests : IDisposable
{
    private readonly CompiledModels compiled = ModelCompiler.Compile([Path.Combine(RepoPaths.Models, "Ursm", "Ursm.cs"), RepoPaths.UrsmVariants]);

    [Theory]
    [InlineData("UrsmCaptureEfficiency", false)]
    [InlineData("UrsmCaptureEfficiency", true)]
    [InlineData("UrsmLogDropout", false)]
    [InlineData("UrsmSharedSlope", false)]
    [InlineData("UrsmKappaCovariate", false)]
    [InlineData("UrsmGeneDropoutEffect", false)]
    [InlineData("UrsmTypeDropoutIntercept", false)]
    [InlineData("UrsmBulkAgeEffect", false)]
    [InlineData("UrsmGeneEffectCovariate", false)]
    [InlineData("UrsmConcentrationPrior", false)]
    [InlineData("UrsmProfilePrior", false)]
    public void ObjectivesThroughExpressionsOfTheParameters_MatchCentralDifferences(string name, bool plugIn)
    {
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Messages));
        var type = compiled.ModelTypes.Single(t => t.Name == name);
        var model = (IDeclaredModel)Activator.CreateInstance(type)!;
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate == "Type" ? 3 : 30);
        model.Store("G", Enumerable.Range(0, 30).Select(l => (double)(l % 3)).ToArray());
        model.InitializeParameters();
        // Dropout logits near 2 (in log expression, Log(A) = Log(1/30) near -3.4 at the start), so no cell has every
        // gene switched off (its weights would be 0/0); efficiencies away from their common start, so A's derivative
        // through the weight is not a constant.
        model.Store("muKappa", [name == "UrsmLogDropout" ? 5.0 : 2.0]);
        var parameters = new List<(string Name, int Every)> { ("A", 5) };
        if (name == "UrsmCaptureEfficiency")
        {
            model.Store("efficiency", Enumerable.Range(0, 30).Select(i => 0.5 + (i % 7) / 7.0).ToArray());
            parameters.Add(("efficiency", 2));
        }
        if (name == "UrsmKappaCovariate")
        {
            // kappa's prior mean regresses on a per-cell covariate: the slope's objective is the log prior of the draws.
            model.Store("depth", Enumerable.Range(0, 30).Select(l => -1 + 2.0 * l / 29).ToArray());
            model.Store("depthEffect", [0.5]);
            parameters.Add(("depthEffect", 1));
            parameters.Add(("muKappa", 1));
        }
        if (name == "UrsmBulkAgeEffect")
        {
            model.Store("age", Enumerable.Range(0, 30).Select(j => -1 + 2.0 * j / 29).ToArray());
            model.Store("ageEffect", [0.6, -0.4, 0.1]);
            parameters.Add(("alpha", 1));
            parameters.Add(("ageEffect", 1));
        }
        if (name == "UrsmGeneEffectCovariate")
        {
            model.Store("gc", Enumerable.Range(0, 30).Select(i => -1 + 2.0 * i / 29).ToArray());
            model.Store("gcEffect", [0.8]);
            model.Store("varGene", [0.4]);
            parameters.Add(("gcEffect", 1));
            parameters.Add(("varGene", 1));
        }
        if (name == "UrsmConcentrationPrior")
        {
            // alpha's Gamma prior: a term of alpha's objective (in its value) and of the rate's (through its argument).
            model.Store("alphaRate", [0.7]);
            parameters.Add(("alpha", 1));
            parameters.Add(("alphaRate", 1));
        }
        // A's Dirichlet prior, 3 pseudo-counts per gene and type: (c − 1) / A in A's gradient.
        if (name == "UrsmProfilePrior") model.Store("pseudo", [3.0]);
        if (name == "UrsmSharedSlope")
        {
            // One slope for every cell in place of the base's per-cell tau, which the sweep leaves out (DSL0309).
            model.Store("slope", [20.0]);
            parameters.Add(("slope", 1));
        }
        var drawn = model.Simulate(5, new SimulationSettings());
        foreach (var observed in new[] { "X", "Y" }) model.Store(observed, drawn[observed]);
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 2, Threads = 2 }).Run((IGibbsEmModel)model);
        foreach (var (parameter, every) in parameters)
        {
            var objective = (IProjectedObjective)Activator.CreateInstance(type.GetNestedType(parameter + "Objective", BindingFlags.NonPublic)!, model, plugIn)!;
            // Away from the M-step's optimum, where the gradient would be near zero; entries kept positive.
            var at = model.Read(parameter).Select((v, n) => v * (1 + 0.2 * Math.Sin(n + 1))).ToArray();
            ObjectiveCheck.CentralDifferences(objective, at, Enumerable.Range(0, at.Length).Where(n => n % every == 0));
        }
    }

    public void Dispose() => compiled.Dispose();
}
