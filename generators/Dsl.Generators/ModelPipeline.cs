using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Emit;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Dsl.Generators.Parsing;
using Dsl.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators
{
    /// <summary>Everything one model declaration produced: each stage's IR, the diagnostics and the generated files.</summary>
    public sealed record PipelineResult(
        string ModelName,
        ModelDeclaration? Declaration,
        ModelSpec? Spec,
        EquatableArray<DiagnosticInfo> Diagnostics,
        EquatableArray<GeneratedFile> Files);

    /// <summary>
    /// The one pure entry point (stanc3's stan2cpp): declaration -> validated graph -> generated files. The source
    /// generator, the `dsl` command and the tests all call it. It never throws: a failure is diagnostic DSL0901.
    /// </summary>
    public static class ModelPipeline
    {
        public const string ModelAttributeName = "Dsl.PlateModelAttribute";

        /// <summary>One class, its Extends resolved among the [PlateModel] classes of its own file.</summary>
        public static PipelineResult Run(ClassDeclarationSyntax model, CancellationToken cancellationToken = default) =>
            Guard(model.Identifier.ValueText, LocationInfo.From(model.Identifier), () =>
                Run(ModelParser.Parse(model), FindModels(model.SyntaxTree.GetRoot(cancellationToken)).Select(ModelParser.Parse).ToList(), cancellationToken));

        /// <summary>A declaration stage 1 read, or the internal error reading it gave (the generator never throws).</summary>
        public sealed record ParsedModel(ModelDeclaration? Declaration, PipelineResult? Failure);

        public static ParsedModel Parse(ClassDeclarationSyntax model)
        {
            ModelDeclaration? declaration = null;
            var result = Guard(model.Identifier.ValueText, LocationInfo.From(model.Identifier), () =>
            {
                declaration = ModelParser.Parse(model);
                return new PipelineResult(declaration.ClassName, declaration, null, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<GeneratedFile>.Empty);
            });
            return declaration is null ? new ParsedModel(null, result) : new ParsedModel(declaration, null);
        }

        /// <summary>
        /// A declaration with its Extends resolved among <paramref name="all"/> (the compilation's plate models), then
        /// validated, planned and emitted.
        /// </summary>
        public static PipelineResult Run(ModelDeclaration declaration, IReadOnlyList<ModelDeclaration> all, CancellationToken cancellationToken = default) =>
            Guard(declaration.ClassName, declaration.Location, () =>
            {
                var resolved = Inheritance.Resolve(declaration, all);
                return resolved.Value is { } merged
                    ? Run(merged, cancellationToken)
                    : new PipelineResult(declaration.ClassName, declaration, null, resolved.Diagnostics, EquatableArray<GeneratedFile>.Empty);
            });

        public static PipelineResult Run(ModelDeclaration declaration, CancellationToken cancellationToken = default) =>
            Guard(declaration.ClassName, declaration.Location, () =>
            {
                var validated = ModelValidator.Validate(declaration);
                cancellationToken.ThrowIfCancellationRequested();
                // Storage is emitted from the declaration whenever the class can take it; the graph only when valid.
                var files = new List<GeneratedFile>();
                if (declaration.IsPartial) files.Add(StorageEmitter.Emit(declaration));
                if (declaration.IsPartial && declaration.Inherited.Count > 0) files.Add(InheritedEmitter.Emit(declaration));
                var diagnostics = validated.Diagnostics.ToList();
                // An inference plan's diagnostics are reported; its files are emitted when it succeeds.
                void Planned<TPlan>(Result<TPlan> planned, Func<TPlan, IEnumerable<GeneratedFile>> emit) where TPlan : class
                {
                    diagnostics.AddRange(planned.Diagnostics);
                    if (planned.Value is { } plan) files.AddRange(emit(plan));
                }
                if (validated.Value is { } spec)
                {
                    files.Add(GraphEmitter.Emit(spec));
                    GibbsPlan? gibbs = null;
                    JointVariationalPlan? variational = null;
                    // Parameters beside discrete latents only: the likelihood with those latents summed out is maximised.
                    var pointEstimate = PointEstimationPlanner.Applies(spec) ? PointEstimationPlanner.Plan(spec) : null;
                    if (GibbsPlanner.Applies(spec))
                    {
                        // Exact updates are the default engine; gradient-based sampling is emitted too wherever it plans (a
                        // second engine, `--method nuts`, and a cross-check of the first), except where maximum likelihood
                        // already fits a model that has nothing continuous to sample. Each says why when none fits.
                        var exact = GibbsPlanner.Plan(spec);
                        var sampled = pointEstimate is null ? SamplingPlanner.Plan(spec) : null;
                        if (sampled?.Value is { } sampling) files.Add(SamplingEmitter.Emit(spec, sampling));
                        // Exact Gibbs wherever the catalogue has an entry for every latent (`--method gibbs`).
                        if (pointEstimate is null && ConjugatePlanner.Plan(spec, out _) is { } conjugate) files.Add(ConjugateEmitter.Emit(spec, conjugate));
                        if (exact.Value is { } exactPlan) files.AddRange(new[] { GibbsEmitter.Emit(spec, gibbs = exactPlan), MStepEmitter.Emit(spec, exactPlan) });
                        else if (sampled is { Value: null }) diagnostics.AddRange(exact.Diagnostics.Concat(sampled.Diagnostics));
                        else if (pointEstimate is { Value: null }) diagnostics.AddRange(exact.Diagnostics);
                    }
                    if (VariationalPlanner.Applies(spec))
                        Planned(VariationalPlanner.Plan(spec), joint =>
                        {
                            // One cell plate: the model's own variational family. Several: one part per plate, and the family joining them.
                            var parts = joint.Parts.SelectMany(part => new[] { ElboEmitter.Emit(spec, part), GradientEmitter.Emit(spec, part), DeclaredVariationalEmitter.Emit(spec, part) }).ToList();
                            variational = joint;
                            if (joint.Parts.Count > 1) parts.Add(JointVariationalEmitter.Emit(spec, joint));
                            return parts;
                        });
                    if (pointEstimate is not null)
                        Planned(pointEstimate, plan => new[] { SamplingEmitter.EmitObjective(spec, plan) });
                    files.Add(BindingEmitter.Emit(spec, gibbs, variational));
                    // Never "no diagnostic and no code": a valid model no engine even tries gets a warning at its class.
                    if (!GibbsPlanner.Applies(spec) && !VariationalPlanner.Applies(spec) && !PointEstimationPlanner.Applies(spec))
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoInferenceEngine, declaration.Location, declaration.ClassName));
                }
                return new PipelineResult(declaration.ClassName, declaration, validated.Value, diagnostics.ToEquatableArray(), files.ToEquatableArray());
            });

        /// <summary>Every [PlateModel] class in a source text (for tools that have no compilation).</summary>
        public static IReadOnlyList<PipelineResult> RunOnSource(string text, string path, CancellationToken cancellationToken = default)
        {
            var tree = CSharpSyntaxTree.ParseText(text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview), path, cancellationToken: cancellationToken);
            var models = FindModels(tree.GetRoot(cancellationToken)).Select(Parse).ToList();
            var declarations = models.Where(m => m.Declaration is not null).Select(m => m.Declaration!).ToList();
            return models.Select(m => m.Failure ?? Run(m.Declaration!, declarations, cancellationToken)).ToList();
        }

        /// <summary>Classes carrying an attribute named PlateModel, judged by syntax alone.</summary>
        public static IEnumerable<ClassDeclarationSyntax> FindModels(SyntaxNode root) =>
            root.DescendantNodes().OfType<ClassDeclarationSyntax>()
                .Where(c => c.AttributeLists.SelectMany(l => l.Attributes).Any(a => AttributeReader.ShortName(a) == "PlateModel"));

        private static PipelineResult Guard(string name, LocationInfo location, Func<PipelineResult> run)
        {
            try
            {
                return run();
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                var failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, name, $"{exception.GetType().Name}: {exception.Message}");
                return new PipelineResult(name, null, null, EquatableArray.Of(failure), EquatableArray<GeneratedFile>.Empty);
            }
        }
    }
}
