using System.Reflection;
using Dsl.Compiler;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Inference.MStep;
using Dsl.Runtime.Models;
using Dsl.Tests.Shared;
using Xunit;

namespace Dsl.Cli.Tests.Declared;

/// <summary>
/// The M-step objectives generated for tests/declarations/UrsmCaptureEfficiency.cs, whose multinomial weight
/// A(i, G(l))·efficiency(i) holds two parameters, against central differences: the normaliser's term reaches each
/// through the weight's symbolic derivative (the other one), by Monte Carlo over the recorded switches and by the
/// plug-in means.
/// </summary>
public sealed class WeightObjectiveTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ObjectivesThroughAWeightOfTwoParameters_MatchCentralDifferences(bool plugIn)
    {
        using var compiled = ModelCompiler.Compile([Path.Combine(RepoPaths.Models, "Ursm", "Ursm.cs"), RepoPaths.UrsmCaptureEfficiency]);
        Assert.True(compiled.Succeeded, string.Join("\n", compiled.Messages));
        var type = compiled.ModelTypes.Single(t => t.Name == "UrsmCaptureEfficiency");
        var model = (IDeclaredModel)Activator.CreateInstance(type)!;
        foreach (var plate in model.Descriptor.Plates) model.SetPlateSize(plate, plate == "Type" ? 3 : 30);
        model.Store("G", Enumerable.Range(0, 30).Select(l => (double)(l % 3)).ToArray());
        model.InitializeParameters();
        // Dropout logits near 2, so no cell has every gene switched off (its weights would be 0/0), and efficiencies
        // away from their common start, so A's derivative through the weight is not a constant.
        model.Store("muKappa", [2.0]);
        model.Store("efficiency", Enumerable.Range(0, 30).Select(i => 0.5 + (i % 7) / 7.0).ToArray());
        var drawn = model.Simulate(5, new SimulationSettings());
        foreach (var observed in new[] { "X", "Y" }) model.Store(observed, drawn[observed]);
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 5, Samples = 10, MaxIterations = 1, Seed = 2, Threads = 2 }).Run((IGibbsEmModel)model);
        foreach (var (parameter, every) in new[] { ("A", 5), ("efficiency", 2) })
        {
            var objective = (IProjectedObjective)Activator.CreateInstance(type.GetNestedType(parameter + "Objective", BindingFlags.NonPublic)!, model, plugIn)!;
            // Away from the M-step's optimum, where the gradient would be near zero; entries kept positive.
            var at = model.Read(parameter).Select((v, n) => v * (1 + 0.2 * Math.Sin(n + 1))).ToArray();
            ObjectiveCheck.CentralDifferences(objective, at, Enumerable.Range(0, at.Length).Where(n => n % every == 0));
        }
    }
}
