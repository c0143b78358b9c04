using Dsl.Generators;
using Dsl.Generators.Derivation;
using Dsl.Generators.Emit;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Cli.Declared;

/// <summary>
/// What each engine planned for the models of some files, or why it has none, in the planners' own words: the text
/// `dsl check --plan` prints, and the reason `--method` gives when it names an engine that has no plan. A refusal is
/// not always a diagnostic (a model NUTS fits has no exact Gibbs sampler, and a warning on every such model would be
/// noise), so it is asked for here.
/// </summary>
public static class DeclaredPlans
{
    /// <summary>
    /// Each valid model's plans by class name, its Extends resolved among the declarations of all the files, and the
    /// lowered program the emitters print from them.
    /// </summary>
    public static IReadOnlyList<(string Model, ModelPlans Plans, Generators.Lowering.LoweredProgram Lowered)> Of(IReadOnlyList<string> files)
    {
        var declarations = files.SelectMany(f => ModelPipeline.FindModels(CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f).GetRoot()))
            .Select(ModelPipeline.Parse).Where(p => p.Declaration is not null).Select(p => p.Declaration!).ToList();
        return declarations.Select(d => ModelPipeline.Run(d, declarations)).Where(r => r is { Spec: not null, Plans: not null })
            .Select(r => (r.ModelName, r.Plans!, Generators.Lowering.LoweredProgram.Lower(r.Spec!, r.Plans!))).ToList();
    }

    /// <param name="files">the model's file and those compiled beside it (the bases it extends)</param>
    /// <param name="engine">an engine's name as the runtime's fits name it (<c>ConjugateGibbsFit.Engine</c>, ...)</param>
    /// <returns>"NUTS has no plan: DSL0404: ...", or "... does not apply to this kind of model"</returns>
    public static string? Refusal(IReadOnlyList<string> files, string model, string engine)
    {
        var plans = Of(files).FirstOrDefault(p => p.Model == model).Plans;
        if (plans is null) return null;
        return PlanPrinter.Refusal(plans, engine);
    }
}
