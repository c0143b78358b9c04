using Dsl.Generators.Derivation;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// What a part of a model over several cell plates offers the joint family besides a single-plate family's members:
    /// a held backward pass and its latents' samples with their gradient arrays (for an adversarial term).
    /// </summary>
    internal static class VariationalPartEmitter
    {
        /// <summary>The encoders on their own (Forward calls them first), and Encode: fresh draws for an adversary's training.</summary>
        public static void EmitEncode(SourceWriter w, VariationalPlan plan)
        {
            using (w.Block("private void Encoders(int rows, bool training, bool sampling, ulong seed, ulong stream)")) ElboEmitter.EmitEncoders(w, plan);
            w.Line();
            w.Line("/// <summary>The encoders alone on these elements, a draw from q each (for an adversary's training: no networks, no likelihood).</summary>");
            using (w.Block($"public void Encode(global::System.ReadOnlySpan<int> elements, {Variational}.VariationalStep step)"))
            {
                w.Line("Prepare(elements, gradients: false);");
                w.Line("heldRows = elements.Length;");
                w.Line("Encoders(elements.Length, step.Training, sampling: true, step.Seed, step.Stream);");
            }
            w.Line();
        }

        /// <summary>A part's backward pass on request, after a term outside it (an adversarial one) has added its gradients.</summary>
        public static void EmitHeldBackward(SourceWriter w, VariationalPlan plan)
        {
            w.Line("private int heldRows;");
            w.Line();
            w.Line("public void FinishBackward() => Backward(heldRows);");
            w.Line();
            using (w.Block("public bool TryLatentSamples(string node, out T[] samples, out T[] gradient, out int width)"))
            {
                using (w.Block("switch (node)"))
                    foreach (var latent in plan.Latents)
                        using (w.Block($"case {EmitHelpers.Literal(latent.Node)}:"))
                        {
                            w.Line($"(samples, gradient, width) = ({Sample(latent.Node)}, {SampleGradient(latent.Node)}, {Width(latent.ItemPlate)});");
                            w.Line("return true;");
                        }
                w.Line("(samples, gradient, width) = (global::System.Array.Empty<T>(), global::System.Array.Empty<T>(), 0);");
                w.Line("return false;");
            }
            w.Line();
        }
    }
}
