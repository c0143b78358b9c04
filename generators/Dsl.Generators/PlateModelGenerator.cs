using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators
{
    /// <summary>
    /// The incremental generator: a thin adapter that finds [PlateModel] classes and hands each to
    /// <see cref="ModelPipeline"/>. All pipeline values are value-equal records, so unchanged models are not regenerated.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class PlateModelGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var parsed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    ModelPipeline.ModelAttributeName,
                    predicate: static (node, _) => node is ClassDeclarationSyntax,
                    transform: static (attributed, _) => ModelPipeline.Parse((ClassDeclarationSyntax)attributed.TargetNode))
                .WithTrackingName("Declaration");
            // Every model sees every other's declaration (value-equal records), so Extends finds its base in any file and
            // an edit to a base regenerates the models extending it.
            var declarations = parsed.Where(static p => p.Declaration is not null).Select(static (p, _) => p.Declaration!).Collect();
            var results = parsed.Combine(declarations)
                .Select(static (pair, cancellationToken) => pair.Left.Failure ?? ModelPipeline.Run(pair.Left.Declaration!, pair.Right, cancellationToken))
                .WithTrackingName("PipelineResult");

            context.RegisterSourceOutput(results, static (output, result) =>
            {
                foreach (var diagnostic in result.Diagnostics)
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                foreach (var file in result.Files)
                    output.AddSource(QualifiedHintName(result.Declaration?.Namespace, file.HintName), file.Text);
            });
        }

        /// <summary>
        /// Hint names must be unique in a compilation: two models named Ursm in different namespaces would otherwise
        /// both emit Ursm.Storage.g.cs, and Roslyn rejects the second (CS8785) with knock-on errors on correct code.
        /// </summary>
        public static string QualifiedHintName(string? modelNamespace, string hintName) =>
            string.IsNullOrEmpty(modelNamespace) ? hintName : modelNamespace + "." + hintName;
    }
}
