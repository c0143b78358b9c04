using System.Linq;
using Dsl.Generators.Derivation;

namespace Dsl.Generators.Emit
{
    /// <summary>Names and sizes of what the variational emitters write, in one place so the two files agree.</summary>
    internal static class VariationalNames
    {
        public const string Neural = "global::Dsl.Runtime.Neural";
        public const string Variational = "global::Dsl.Runtime.Variational";
        public const string Number = "global::System.Numerics.IBinaryFloatingPointIeee754<T>";

        /// <summary>{Model}.{kind}.g.cs, or {Model}.{Plate}.{kind}.g.cs for one part of a model over several cell plates.</summary>
        public static string VariationalFileName(Ir.ModelSpec spec, VariationalPlan plan, string kind) =>
            plan.IsPart ? $"{spec.ClassName}.{plan.BatchPlate}.{kind}.g.cs" : $"{spec.ClassName}.{kind}.g.cs";

        public static string Size(string plate) => $"model.{CodeExpr.Size(plate)}";

        public static string Width(string? plate) => plate is null ? "1" : Size(plate);

        public static string Counts(string observed) => $"{observed}Counts";
        public static string CountBatch(string observed) => $"{observed}Batch";
        public static string LogCountBatch(string observed) => $"{observed}LogBatch";
        public static string CovariateBatch(string data) => $"{data}Batch";
        public static string Encoder(EncodedLatent latent) => $"{latent.Node}Encoder";
        public static string Sample(string latent) => $"{latent}Sample";
        public static string Noise(string latent) => $"{latent}Noise";
        public static string SampleGradient(string latent) => $"{latent}SampleGradient";
        public static string MeanGradient(string latent) => $"{latent}MeanGradient";
        public static string VarianceGradient(string latent) => $"{latent}VarianceGradient";
        public static string Trunk(string owner) => $"{owner}Trunk";
        public static string Head(string network) => $"{network}Head";
        public static string OutputGradient(string network) => $"{network}Gradient";
        public static string Input(string owner) => $"{owner}Input";
        public static string InputGradient(string owner) => $"{owner}InputGradient";
        public static string OneHot(string owner) => $"{owner}OneHot";
        public static string DecoderLevel(string category) => $"{category}DecoderLevelSetting";
        public static string Parameter(string parameter) => $"{parameter}Parameter";
        public static string Value(string parameter) => $"{parameter}Value";
        public static string Partials(string parameter) => $"{parameter}Partials";
        public static string ArgumentOutput(LikelihoodTerm term, LikelihoodArgument argument) =>
            term.Node + EmitHelpers.Capitalised(argument.Name);
        public static string ArgumentDerivative(LikelihoodTerm term, LikelihoodArgument argument) => ArgumentOutput(term, argument) + "Derivative";
        public static string ValueDerivative(LikelihoodTerm term) => term.Node + "ValueDerivative";

        /// <summary>The sum of the input widths of one kind, e.g. "model.GeneCount + model.BatchCount".</summary>
        public static string TotalWidth(System.Collections.Generic.IEnumerable<NetworkInput> inputs)
        {
            var widths = inputs.Select(i => Width(i.Plate)).ToList();
            return widths.Count == 0 ? "0" : string.Join(" + ", widths);
        }
    }
}
