using Dsl.Generators;
using Dsl.Generators.Derivation.Conjugacy;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Cli.Declared;

/// <summary>
/// Why a model has no exact Gibbs sampler: the conjugate planner's own reason, naming the latent that has no entry.
/// It is not a diagnostic (such a model is fitted by NUTS, and a diagnostic on every NUTS model would be noise), so
/// `--method gibbs` asks for it when it is refused.
/// </summary>
public static class ConjugateRefusal
{
    /// <param name="files">the model's file and those compiled beside it (the bases it extends)</param>
    public static string? Why(IReadOnlyList<string> files, string model)
    {
        var declarations = files.SelectMany(f => ModelPipeline.FindModels(CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot()))
            .Select(ModelPipeline.Parse).Where(p => p.Declaration is not null).Select(p => p.Declaration!).ToList();
        var declaration = declarations.FirstOrDefault(d => d.ClassName == model);
        if (declaration is null || ModelPipeline.Run(declaration, declarations).Spec is not { } spec) return null;
        return ConjugatePlanner.Plan(spec, out var why) is null ? why : null;
    }
}
