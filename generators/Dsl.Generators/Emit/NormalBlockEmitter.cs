using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// The joint update of a <see cref="NormalBlock"/> inside <c>{Model}.Conjugate.g.cs</c>: the prior's diagonal, then
    /// per child entry its row b of the design over the block's coordinates, added as b bᵀ/σ² and b (y − a)/σ², and
    /// one draw from the Normal with that precision by its Cholesky factor (<c>GaussianBlock</c>).
    /// </summary>
    internal static class NormalBlockEmitter
    {
        private const string Block = "global::Dsl.Runtime.Conjugate.GaussianBlock";

        private static string Scratch(int index, string part) => $"ldBlock{index}{part}";

        private static string Offset(BlockMember member) => $"ldOffset_{member.Latent}";

        private static string Length(ModelSpec spec, string latent, string owner) =>
            ExprTools.Find(spec, latent)!.Indices is { Count: > 0 } indices ? string.Join(" * ", indices.Select(i => owner + CodeExpr.Size(i.Plate))) : "1";

        private static string Dimension(ModelSpec spec, NormalBlock block, string owner) => string.Join(" + ", block.Members.Select(m => Length(spec, m.Latent, owner)));

        public static void EmitFields(SourceWriter w, ModelSpec spec, int index, NormalBlock block)
        {
            w.Line($"private readonly double[] {Scratch(index, "Precision")}, {Scratch(index, "Shift")}, {Scratch(index, "Row")}, {Scratch(index, "Draw")}; // the joint update of {string.Join(", ", block.Members.Select(m => m.Latent))}");
            for (var c = 0; c < block.Children.Count; c++)
                if (HasGram(spec, block.Children[c]))
                    w.Line($"private double[]? {Gram(index, c)}; // Σ b bᵀ over {block.Children[c].Child}'s entries: its design rows are data, summed at the first sweep");
        }

        private static string Gram(int index, int child) => Scratch(index, $"Gram{child}");

        /// <summary>
        /// Whether a child's Σ w b bᵀ is w·Gram with the Gram summed once: its design rows read no latent and its
        /// precision w is the same for every entry (it reads none of the child's indices, and is no Pólya-Gamma draw).
        /// </summary>
        private static bool HasGram(ModelSpec spec, BlockChild child)
        {
            var node = ExprTools.Find(spec, child.Child)!;
            return child.Augment is null && child.Terms.All(t => !ExprTools.Mentions(t.Coefficient, spec, NodeRole.Latent) && !t.Read.Indices.Any(i => ExprTools.Mentions(i, spec, NodeRole.Latent)))
                && !node.Indices.Any(i => ExprTools.UsesIndex(child.Precision, i.Variable));
        }

        public static void EmitAllocations(SourceWriter w, ModelSpec spec, int index, NormalBlock block)
        {
            var dimension = Dimension(spec, block, "model.");
            w.Line($"{Scratch(index, "Precision")} = new double[({dimension}) * ({dimension})];");
            w.Line($"({Scratch(index, "Shift")}, {Scratch(index, "Row")}, {Scratch(index, "Draw")}) = (new double[{dimension}], new double[{dimension}], new double[{dimension}]);");
        }

        public static void EmitUpdate(SourceWriter w, ModelSpec spec, int index, NormalBlock block, System.Action locals)
        {
            var (precision, shift, row) = (Scratch(index, "Precision"), Scratch(index, "Shift"), Scratch(index, "Row"));
            w.Line("/// <summary>");
            w.Line($"/// Normal linear predictor, jointly: {string.Join(", ", block.Members.Select(m => $"{m.Latent} ~ {ExprPrinter.Print(ExprTools.Find(spec, m.Latent)!.Declaration.Distribution!)}"))}, the coefficients of");
            w.Line($"/// {string.Join(", ", block.Children.Select(c => c.Child))}; so they are drawn from Normal(Λ⁻¹h, Λ⁻¹), Λ = diag(1/s²) + Σ b bᵀ/σ², h = m/s² + Σ b (y − a)/σ².");
            w.Line("/// </summary>");
            using (w.Block($"private void {Lowering.ExactSweep.Name(block)}(ref global::Dsl.Runtime.Random.RandomStream random)"))
            {
                locals();
                w.Line($"var ldDimension = {Dimension(spec, block, "")};");
                var offset = "0";
                foreach (var member in block.Members)
                {
                    w.Line($"var {Offset(member)} = {offset};");
                    offset = CodeFolding.Plus(Offset(member), Length(spec, member.Latent, ""));
                }
                w.Line($"global::System.Array.Clear({precision});");
                w.Line($"global::System.Array.Clear({shift});");
                foreach (var member in block.Members) EmitPrior(w, spec, member, precision, shift);
                for (var c = 0; c < block.Children.Count; c++)
                {
                    if (HasGram(spec, block.Children[c])) EmitGramChild(w, spec, block, block.Children[c], Gram(index, c), precision, shift, row);
                    else EmitChild(w, spec, block, block.Children[c], precision, shift, row);
                }
                w.Line($"{Block}.Draw({EmitHelpers.Literal(string.Join(", ", block.Members.Select(m => m.Latent)))}, {precision}, {shift}, {Scratch(index, "Draw")}, ref random);");
                foreach (var member in block.Members)
                    w.Line($"global::System.Array.Copy({Scratch(index, "Draw")}, {Offset(member)}, {ConjugateEmitter.State(ExprTools.Find(spec, member.Latent)!)}, 0, {Length(spec, member.Latent, "")});");
            }
            w.Line();
        }

        private static void EmitPrior(SourceWriter w, ModelSpec spec, BlockMember member, string precision, string shift)
        {
            var node = ExprTools.Find(spec, member.Latent)!;
            var code = ConjugateEmitter.Code(spec, node.Indices.Select(i => i.Variable));
            w.Line($"// {member.Latent}'s prior: precision {ExprPrinter.Print(member.Precision)} on the diagonal, mean times it in h");
            using (w.Braces())
            using (BindingEmitter.Loops(w, node.Indices))
            {
                w.Line($"var ldC = {CodeFolding.Plus(Offset(member), CodeExpr.RowMajor(node.Indices.Select(i => i.Variable).ToList(), node.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList()))};");
                w.Line($"var ldP = {code.Of(member.Precision)};");
                w.Line($"{precision}[ldC * ldDimension + ldC] += ldP;");
                // A zero prior mean adds nothing to h.
                if (CodeFolding.Times("ldP", code.Of(member.Mean)) is var shifted && shifted != "0") w.Line($"{shift}[ldC] += {shifted};");
            }
        }

        /// <summary>A child whose rows are data: Λ += w·Gram (the Gram summed at the first sweep), then h += w·b (y − a) per entry.</summary>
        private static void EmitGramChild(SourceWriter w, ModelSpec spec, NormalBlock block, BlockChild child, string gram, string precision, string shift, string row)
        {
            var node = ExprTools.Find(spec, child.Child)!;
            w.Line($"// {node.Name}({string.Join(", ", node.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(node.Declaration.Distribution!)}: a = {ExprPrinter.Print(child.Free)}, " +
                $"1/σ² = {ExprPrinter.Print(child.Precision)} for every entry, and design rows that are data: Λ gains 1/σ² times their Gram matrix, summed once");
            using (w.Block($"if ({gram} is null)"))
            {
                w.Line($"{gram} = new double[ldDimension * ldDimension];");
                using (BindingEmitter.Loops(w, node.Indices))
                {
                    EmitRow(w, spec, block, child, node, row, ConjugateEmitter.Code(spec, node.Indices.Select(i => i.Variable)));
                    w.Line($"{Block}.AddOuter({gram}, {row});");
                }
            }
            using (w.Braces())
            {
                var weight = ConjugateEmitter.Code(spec, Enumerable.Empty<string>()).Of(child.Precision);
                w.Line($"var ldWeight = {weight};");
                w.Line($"{Block}.AddScaled({precision}, {gram}, ldWeight);");
                using (BindingEmitter.Loops(w, node.Indices))
                {
                    var code = ConjugateEmitter.HoistSums(w, spec, node.Indices.Select(i => i.Variable).ToList(), new[] { child.Free, child.Value });
                    w.Line($"var ldScale = ldWeight * ({code.Of(child.Value)} - {code.Of(child.Free)});");
                    EmitShift(w, spec, block, child, node, shift, "ldScale", code);
                }
            }
        }

        /// <summary>
        /// h += scale·b without building b: each term's coefficient times the scale added at the coordinate it reads, a
        /// design row read along a sum's variable into a contiguous run of coordinates in one vectorised pass.
        /// </summary>
        private static void EmitShift(SourceWriter w, ModelSpec spec, NormalBlock block, BlockChild child, NodeSpec node, string shift, string scale, CodeExpr code)
        {
            foreach (var term in child.Terms)
            {
                var member = block.Members.First(m => m.Latent == term.Read.Node);
                if (term.Over is not { } over)
                {
                    w.Line($"{shift}[{CodeFolding.Plus(Offset(member), code.FlatIndex(term.Read))}] += {(term.Coefficient is ConstantExpr { Value: 1 } ? scale : $"{code.Of(term.Coefficient)} * {scale}")};");
                    continue;
                }
                var inner = ConjugateEmitter.Code(spec, node.Indices.Select(i => i.Variable).Append(over.Variable));
                if (term.Coefficient is NodeCallExpr coefficient && ConjugateEmitter.Span(spec, coefficient, over.Variable, inner) is { } values
                    && ContiguousRow.Of(spec, term.Read, over.Variable, inner) is { } coordinates)
                {
                    w.Line($"global::Dsl.Runtime.Hmc.Rows.AddScaled({values}, {scale}, new global::System.Span<double>({shift}, {CodeFolding.Plus(Offset(member), coordinates.Start)}, {coordinates.Size}));");
                    continue;
                }
                using (w.Block($"for (var {over.Variable} = 0; {over.Variable} < {CodeExpr.Size(over.Plate)}; {over.Variable}++)"))
                    w.Line($"{shift}[{CodeFolding.Plus(Offset(member), inner.FlatIndex(term.Read))}] += {inner.Of(term.Coefficient)} * {scale};");
            }
        }

        /// <summary>Clears the row and writes the child entry's coefficients at the coordinates its terms read.</summary>
        private static void EmitRow(SourceWriter w, ModelSpec spec, NormalBlock block, BlockChild child, NodeSpec node, string row, CodeExpr code)
        {
            w.Line($"global::System.Array.Clear({row});");
            foreach (var term in child.Terms)
            {
                var member = block.Members.First(m => m.Latent == term.Read.Node);
                if (term.Over is { } over)
                {
                    var inner = ConjugateEmitter.Code(spec, node.Indices.Select(i => i.Variable).Append(over.Variable));
                    using (w.Block($"for (var {over.Variable} = 0; {over.Variable} < {CodeExpr.Size(over.Plate)}; {over.Variable}++)"))
                        w.Line($"{row}[{CodeFolding.Plus(Offset(member), inner.FlatIndex(term.Read))}] += {inner.Of(term.Coefficient)};");
                }
                else w.Line($"{row}[{CodeFolding.Plus(Offset(member), code.FlatIndex(term.Read))}] += {code.Of(term.Coefficient)};");
            }
        }

        private static void EmitChild(SourceWriter w, ModelSpec spec, NormalBlock block, BlockChild child, string precision, string shift, string row)
        {
            var node = ExprTools.Find(spec, child.Child)!;
            w.Line($"// {node.Name}({string.Join(", ", node.Indices.Select(i => i.Variable))}) ~ {ExprPrinter.Print(node.Declaration.Distribution!)}: a = {ExprPrinter.Print(child.Free)}, 1/σ² = {ExprPrinter.Print(child.Precision)}");
            using (w.Braces())
            using (BindingEmitter.Loops(w, node.Indices))
            {
                var code = ConjugateEmitter.HoistSums(w, spec, ConjugateEmitter.Variables(node, child.Augment), new[] { child.Free, child.Precision, child.Value, child.Augment?.Predictor, child.Augment?.Response });
                using (ConjugateEmitter.Augment(w, code, child.Augment))
                {
                    EmitRow(w, spec, block, child, node, row, code);
                    w.Line($"{Block}.Accumulate({precision}, {shift}, {row}, {code.Of(child.Precision)}, {code.Of(child.Value)} - {code.Of(child.Free)});");
                }
            }
        }
    }
}
