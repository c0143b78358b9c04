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
        EquatableArray<GeneratedFile> Files)
    {
        /// <summary>Stage 3: every engine's plan, or why it has none (null where the declaration did not validate).</summary>
        public ModelPlans? Plans { get; init; }
    }

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
                ModelPlans? plans = null;
                if (validated.Value is { } spec)
                {
                    files.Add(GraphEmitter.Emit(spec));
                    plans = ModelPlans.Plan(spec);
                    // Stage 4, a pure function of the graph and the plans (kept out of the result, whose equality the
                    // incremental generator caches on: the files it produces carry what it decided).
                    var lowered = Lowering.LoweredProgram.Lower(spec, plans);
                    var (exact, gibbsEm, nuts, maximumLikelihood, variational, _) = plans;
                    // Every engine that planned is emitted: the first that applies is the default, the others are
                    // `--method` choices and cross-checks of it. A refusal is reported only where nothing else fits.
                    if (nuts.Plan is { } sampling) files.Add(SamplingEmitter.Emit(spec, sampling, lowered.Nuts!));
                    if (exact.Plan is { } conjugate) files.Add(ConjugateEmitter.Emit(spec, conjugate, lowered.ExactGibbs!));
                    if (gibbsEm.Plan is { } gibbs) files.AddRange(new[] { GibbsEmitter.Emit(spec, gibbs, lowered.GibbsEm!), MStepEmitter.Emit(spec, gibbs, lowered.GibbsEm!) });
                    else if (nuts is { Tried: true, Plan: null }) diagnostics.AddRange(gibbsEm.Diagnostics.Concat(nuts.Diagnostics));
                    else if (maximumLikelihood is { Tried: true, Plan: null }) diagnostics.AddRange(gibbsEm.Diagnostics);
                    diagnostics.AddRange(variational.Diagnostics);
                    if (variational.Plan is { } joint)
                    {
                        // One cell plate: the model's own variational family. Several: one part per plate, and the family joining them.
                        // The plan is of the model with its Gamma-Poisson pairs integrated out, and so is what prints it.
                        var integrated = VariationalPlanner.Integrated(spec);
                        files.AddRange(joint.Parts.SelectMany((part, k) => new[] { ElboEmitter.Emit(integrated, part, lowered.Variational![k]), GradientEmitter.Emit(integrated, part), DeclaredVariationalEmitter.Emit(integrated, part, lowered.Variational![k].Buffers) }));
                        if (joint.Parts.Count > 1) files.Add(JointVariationalEmitter.Emit(integrated, joint));
                    }
                    diagnostics.AddRange(maximumLikelihood.Diagnostics);
                    if (maximumLikelihood.Plan is { } estimation) files.Add(SamplingEmitter.EmitObjective(spec, estimation, lowered.MaximumLikelihood!));
                    files.Add(BindingEmitter.Emit(spec, gibbsEm.Plan, variational.Plan, plans.Exchangeable));
                    // Never "no diagnostic and no code": a valid model no engine even tries gets a warning at its class.
                    if (!plans.AnyTried) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoInferenceEngine, declaration.Location, declaration.ClassName));
                }
                return new PipelineResult(declaration.ClassName, declaration, validated.Value, diagnostics.ToEquatableArray(), files.Select(GeneratedCodeMarker.Mark).ToEquatableArray()) { Plans = plans };
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
