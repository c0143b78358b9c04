using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using Dsl.Generators.Lowering;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Prints the matrix products <see cref="MatrixProducts"/> found in a log density: a buffer and an adjoint per
    /// product, row-major copies of the stored factors (a parameter's storage is a multidimensional array; the GEMM reads
    /// flat rows), the forward products in order, and after the entry loops the adjoints carried back to the factors.
    /// </summary>
    internal static class MatrixProductEmitter
    {
        private const string Gemm = "global::Dsl.Runtime.Neural.Gemm";
        private const string View = "global::Dsl.Runtime.Neural.MatrixView<double>";

        /// <summary>The products in the scalar terms' arguments (vector and categorical terms keep their own loops).</summary>
        public static MatrixProducts Find(ModelSpec spec, SamplingPlan plan) =>
            MatrixProducts.Find(spec, plan.Terms.Select(t => ExprTools.Find(spec, t)!)
                .Where(n => !SimplexEmitter.IsVector(n) && n.Declaration.Distribution!.Name != "Categorical")
                .SelectMany(n => SamplingEmitter.Arguments(spec, n).Select(a => (a, (IReadOnlyList<string>)n.Indices.Select(i => i.Variable).ToList()))));

        private static string Value(string product) => $"{product}Value";

        private static string Adjoint(string product) => $"{product}Gradient";

        /// <summary>A stored factor's row-major copy.</summary>
        private static string Flat(string node) => $"ldFlat{node}";

        private static IEnumerable<MatrixFactor> StoredFactors(MatrixProducts products) =>
            products.Products.SelectMany(p => new[] { p.Left, p.Right }).Where(f => f.Role is NodeRole.Param or NodeRole.Data)
                .GroupBy(f => f.Node).Select(g => g.First());

        public static void EmitFields(SourceWriter w, MatrixProducts products)
        {
            foreach (var product in products.Products)
                w.Line($"private readonly double[] {Value(product.Name)}, {Adjoint(product.Name)}; // {Signature(product)} = {product.Formula}, by GEMM (line {product.Line})");
            foreach (var factor in StoredFactors(products))
                w.Line($"private readonly double[] {Flat(factor.Node)}; // {factor.Node}, row-major, for the products");
            if (products.Products.Count > 0) w.Line();
        }

        public static void EmitAllocations(SourceWriter w, ModelSpec spec, MatrixProducts products)
        {
            foreach (var product in products.Products)
            {
                var size = $"model.{CodeExpr.Size(product.Rows)} * model.{CodeExpr.Size(product.Columns)}";
                w.Line($"({Value(product.Name)}, {Adjoint(product.Name)}) = (new double[{size}], new double[{size}]);");
            }
            foreach (var factor in StoredFactors(products))
            {
                w.Line($"{Flat(factor.Node)} = new double[model.{CodeExpr.Size(factor.Rows)} * model.{CodeExpr.Size(factor.Columns)}];");
                // Data never change: copied once here; parameters before each evaluation.
                if (factor.Role == NodeRole.Data) w.Line($"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{factor.Node}Values, {Flat(factor.Node)});");
            }
        }

        /// <summary><c>MultiplyMatrices()</c>: every product at the current values, inner products first.</summary>
        public static void EmitForward(SourceWriter w, ModelSpec spec, MatrixProducts products, System.Action<SourceWriter> locals)
        {
            if (products.Products.Count == 0) return;
            w.Line("/// <summary>The matrix products at the current values (each factor before the products that read it).</summary>");
            using (w.Block("private void MultiplyMatrices()"))
            {
                foreach (var factor in StoredFactors(products).Where(f => f.Role == NodeRole.Param))
                    w.Line($"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{factor.Node}Values, {Flat(factor.Node)});");
                foreach (var product in products.Products)
                {
                    w.Line($"// {Signature(product)} = {Describe(product.Left)}·{Describe(product.Right)}: {product.Formula}");
                    w.Line($"{Gemm}.Multiply({Read(product.Left)}, {Read(product.Right)}, {Value(product.Name)}, 0, model.{CodeExpr.Size(product.Columns)}, accumulate: false, Threads);");
                }
            }
            w.Line();
        }

        /// <summary>At the start of an evaluation: the products, and their adjoints cleared.</summary>
        public static void EmitEvaluation(SourceWriter w, MatrixProducts products)
        {
            if (products.Products.Count == 0) return;
            w.Line("MultiplyMatrices();");
            foreach (var product in products.Products) w.Line($"global::System.Array.Clear({Adjoint(product.Name)});");
        }

        /// <summary>
        /// After the entry loops: each product's adjoint ∂P, outermost product first, sent to its factors. For
        /// P = L·R, ∂L += ∂P·Rᵀ and ∂R += Lᵀ·∂P; a factor stored transposed takes the transpose (∂Lᵀ = R·∂Pᵀ).
        /// </summary>
        public static void EmitBackward(SourceWriter w, ModelSpec spec, MatrixProducts products)
        {
            foreach (var product in products.Products.Reverse())
            {
                var adjoint = $"{View}.RowMajor({Adjoint(product.Name)}, model.{CodeExpr.Size(product.Rows)}, model.{CodeExpr.Size(product.Columns)})";
                var (left, right) = (product.Left, product.Right);
                if (Unknown(left))
                    Accumulate(w, left, left.Transposed
                        ? ($"{Describe(right, false)}·∂{product.Name}ᵀ", Read(right, false), adjoint + ".Transposed()")
                        : ($"∂{product.Name}·{Describe(right, true)}", adjoint, Read(right, true)));
                if (Unknown(right))
                    Accumulate(w, right, right.Transposed
                        ? ($"∂{product.Name}ᵀ·{Describe(left, false)}", adjoint + ".Transposed()", Read(left, false))
                        : ($"{Describe(left, true)}·∂{product.Name}", Read(left, true), adjoint));
            }
        }

        /// <summary>∂factor (as stored) += a·b.</summary>
        private static void Accumulate(SourceWriter w, MatrixFactor factor, (string Math, string A, string B) term)
        {
            w.Line($"// ∂{factor.Node} += {term.Math}");
            w.Line($"{Gemm}.Multiply({term.A}, {term.B}, {Gradient(factor)}, 0, model.{CodeExpr.Size(factor.Columns)}, accumulate: true, Threads);");
        }

        private static bool Unknown(MatrixFactor factor) => factor.Role != NodeRole.Data;

        private static string Gradient(MatrixFactor factor) => $"{factor.Node}Gradient";

        /// <summary>The factor as the product reads it (or its transpose): a view on its row-major values, transposed where it is stored the other way round.</summary>
        private static string Read(MatrixFactor factor, bool transpose = false)
        {
            var values = factor.Role is NodeRole.Param or NodeRole.Data ? Flat(factor.Node) : Value(factor.Node);
            var view = $"{View}.RowMajor({values}, model.{CodeExpr.Size(factor.Rows)}, model.{CodeExpr.Size(factor.Columns)})";
            return factor.Transposed ^ transpose ? view + ".Transposed()" : view;
        }

        private static string Describe(MatrixFactor factor, bool transpose = false) => factor.Transposed ^ transpose ? $"{factor.Node}ᵀ" : factor.Node;

        private static string Signature(MatrixProduct product) => $"{product.Name}[{product.Rows} × {product.Columns}]";
    }
}
