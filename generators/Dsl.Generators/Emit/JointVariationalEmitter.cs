using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// <c>{Model}.JointVariational.g.cs</c> for a model over several cell plates: the factory of its variational family,
    /// one part per plate built in one shared parameter set (so networks declared to share weights, encoders sharing
    /// their last layer and parameters read on several plates are one set of arrays), joined by the runtime's
    /// <c>JointFamily</c>, which steps a minibatch of every plate at once.
    /// </summary>
    internal static class JointVariationalEmitter
    {
        public static GeneratedFile Emit(ModelSpec spec, JointVariationalPlan plan)
        {
            var w = EmitHelpers.Header("Joint variational family", spec.Namespace, spec.ClassName);
            using (w.Block($"partial class {spec.ClassName} : {Variational}.IJointVariationalDeclaredModel"))
            {
                ElboEmitter.EmitStream(w, Lowering.VariationalStreams.Initialisation);
                w.Line("/// <summary>");
                w.Line($"/// The variational family over {string.Join(" and ", plan.Parts.Select(p => p.BatchPlate))}: one part per cell plate, in one parameter set,");
                w.Line("/// initialised from the seed part after part.");
                w.Line("/// </summary>");
                using (w.Block($"public {Variational}.JointFamily<T> CreateJointVariational<T>(ulong seed) where T : unmanaged, {Number}"))
                {
                    w.Line($"var parameters = new {Neural}.ParameterSet<T>();");
                    w.Line($"var init = new global::Dsl.Runtime.Random.RandomStream(seed, {Lowering.VariationalStreams.Initialisation.Name});");
                    foreach (var part in plan.Parts)
                        w.Line($"var {Camel(part.BatchPlate)} = new {part.ClassName}<T>(this, parameters, ref init);");
                    var parts = $"new {Variational}.IVariationalPart<T>[] {{ {string.Join(", ", plan.Parts.Select(p => Camel(p.BatchPlate)))} }}";
                    if (plan.Adversaries.Count == 0)
                        w.Line($"return new {Variational}.JointFamily<T>(parameters, {parts});");
                    else
                    {
                        w.Line("// Adversarial groups (gimVI eq 10): a discriminator per group tells the cell plates apart from the latents' samples.");
                        w.Line($"var adversaries = new {Variational}.AdversarialGroup[]");
                        w.Line("{");
                        foreach (var a in plan.Adversaries)
                            w.Line($"    new({EmitHelpers.Literal(a.Group)}, Kappa: {CodeExpr.Number(a.Kappa)}, Hidden: {a.Hidden}, Layers: {a.Layers}, Dropout: {CodeExpr.Number(a.Dropout)}, " +
                                $"Latents: new[] {{ {string.Join(", ", a.Latents.Select(EmitHelpers.Literal))} }}),");
                        w.Line("};");
                        w.Line($"return new {Variational}.JointFamily<T>(parameters, {parts}, adversaries, seed);");
                    }
                }
                w.Line();
                w.Line($"{Variational}.IJointVariational<float> {Variational}.IJointVariationalDeclaredModel.CreateJointVariational(ulong seed) => CreateJointVariational<float>(seed);");
            }
            return new GeneratedFile($"{spec.ClassName}.JointVariational.g.cs", w.ToString());
        }

        private static string Camel(string plate) => char.ToLowerInvariant(plate[0]) + plate.Substring(1) + "Part";
    }
}
