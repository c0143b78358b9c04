using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;
using Dsl.Generators.Lowering;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// Prints the matrix products lowered into a <see cref="ProductLayout"/>: a buffer and an adjoint per
    /// product, row-major copies of the stored factors (a parameter's storage is a multidimensional array; the GEMM reads
    /// flat rows), the forward products in order, and after the entry loops the adjoints carried back to the factors.
    /// </summary>
    internal static class MatrixProductEmitter
    {
        private const string Gemm = "global::Dsl.Runtime.Neural.Gemm";
        private const string View = "global::Dsl.Runtime.Neural.MatrixView<double>";

        private static string Value(string product) => $"{product}Value";

        private static string Adjoint(string product) => $"{product}Gradient";

        /// <summary>A stored factor's row-major copy.</summary>
        private static string Flat(string node) => $"ldFlat{node}";

        private static IEnumerable<MatrixFactor> StoredFactors(MatrixProducts products) =>
            products.Products.SelectMany(p => new[] { p.Left, p.Right }).Where(f => f.Role is NodeRole.Param or NodeRole.Data)
                .GroupBy(f => f.Node).Select(g => g.First());

        public static void EmitFields(SourceWriter w, MatrixProducts products, ProductLayout.RowBlocking? blocking)
        {
            foreach (var product in products.Products)
                w.Line($"private readonly double[] {Value(product.Name)}, {Adjoint(product.Name)}; // {Signature(product)}{(blocking?.Holds(product) == true ? ", a block of rows at a time" : "")} = {product.Formula}, by GEMM (line {product.Line})");
            foreach (var factor in StoredFactors(products))
                w.Line($"private readonly double[] {Flat(factor.Node)}; // {factor.Node}, row-major, for the products");
            if (blocking is not null) w.Line($"private readonly int {BlockRows}; // rows of {blocking.Plate} per block of the blocked products");
            if (products.Products.Count > 0) w.Line();
        }

        private const string BlockRows = "ldBlockRows", BlockStart = "ldBlockStart", BlockCount = "ldBlockCount";

        public static void EmitAllocations(SourceWriter w, ModelSpec spec, MatrixProducts products, ProductLayout.RowBlocking? blocking)
        {
            if (blocking is not null)
            {
                var widest = string.Join(", ", blocking.Products.Select(p => $"model.{CodeExpr.Size(p.Columns)}").Distinct());
                w.Line($"{BlockRows} = global::System.Math.Max(1, global::System.Math.Min(model.{CodeExpr.Size(blocking.Plate)}, global::Dsl.Runtime.Neural.ProductBlocks.Entries / global::System.Math.Max(1, {(widest.Contains(",") ? $"global::System.Linq.Enumerable.Max(new[] {{ {widest} }})" : widest)})));");
            }
            foreach (var product in products.Products)
            {
                var rows = blocking?.Holds(product) == true ? BlockRows : $"model.{CodeExpr.Size(product.Rows)}";
                var size = $"{rows} * model.{CodeExpr.Size(product.Columns)}";
                w.Line($"({Value(product.Name)}, {Adjoint(product.Name)}) = (new double[{size}], new double[{size}]);");
            }
            foreach (var factor in StoredFactors(products))
            {
                w.Line($"{Flat(factor.Node)} = new double[model.{CodeExpr.Size(factor.Rows)} * model.{CodeExpr.Size(factor.Columns)}];");
                // Data never change: copied once here; parameters before each evaluation.
                if (factor.Role == NodeRole.Data) w.Line($"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{factor.Node}Values, {Flat(factor.Node)});");
            }
        }

        /// <summary>
        /// <c>MultiplyMatrices()</c>: every product not blocked at the current values, inner products first; and
        /// <c>MultiplyBlock(start, count)</c>: the blocked products' rows of one block, their adjoints cleared.
        /// </summary>
        public static void EmitForward(SourceWriter w, ModelSpec spec, MatrixProducts products, ProductLayout.RowBlocking? blocking)
        {
            if (products.Products.Count == 0) return;
            w.Line("/// <summary>The matrix products at the current values (each factor before the products that read it).</summary>");
            using (w.Block("private void MultiplyMatrices()"))
            {
                foreach (var factor in StoredFactors(products).Where(f => f.Role == NodeRole.Param))
                    w.Line($"global::Dsl.Runtime.Models.RowMajor.CopyFrom(model.{factor.Node}Values, {Flat(factor.Node)});");
                foreach (var product in products.Products.Where(p => blocking?.Holds(p) != true))
                {
                    w.Line($"// {Signature(product)} = {Describe(product.Left)}·{Describe(product.Right)}: {product.Formula}");
                    w.Line($"{Gemm}.Multiply({Read(product.Left)}, {Read(product.Right)}, {Value(product.Name)}, 0, model.{CodeExpr.Size(product.Columns)}, accumulate: false, Threads);");
                }
            }
            w.Line();
            if (blocking is null) return;
            w.Line($"/// <summary>The blocked products' rows {BlockStart} to {BlockStart} + {BlockCount} − 1 (after MultiplyMatrices), their adjoints cleared.</summary>");
            using (w.Block($"private void MultiplyBlock(int {BlockStart}, int {BlockCount})"))
                foreach (var product in blocking.Products)
                {
                    w.Line($"// {Signature(product)}, rows of the block = {Describe(product.Left)}·{Describe(product.Right)}: {product.Formula}");
                    w.Line($"{Gemm}.Multiply({Read(product.Left)}.RowBlock({BlockStart}, {BlockCount}), {Read(product.Right)}, {Value(product.Name)}, 0, model.{CodeExpr.Size(product.Columns)}, accumulate: false, Threads);");
                    w.Line($"global::System.Array.Clear({Adjoint(product.Name)});");
                }
            w.Line();
        }

        /// <summary>
        /// The loop over blocks of rows around <paramref name="body"/>, over rows <paramref name="from"/> to
        /// <paramref name="from"/> + <paramref name="count"/> − 1 (all of them by default), with reverse mode reading the
        /// blocked products at the block's offset.
        /// </summary>
        public static void InBlocks(SourceWriter w, ReverseMode reverse, ProductLayout.RowBlocking blocking, System.Action body, string from = "0", string? count = null)
        {
            var end = count is null ? CodeExpr.Size(blocking.Plate) : $"{from} + {count}";
            foreach (var product in blocking.Products) reverse.BlockOffsets[product.Name] = $"{BlockStart} * {CodeExpr.Size(product.Columns)}";
            using (w.Block($"for (var {BlockStart} = {from}; {BlockStart} < {end}; {BlockStart} += {BlockRows})"))
            {
                w.Line($"var {BlockCount} = global::System.Math.Min({BlockRows}, {end} - {BlockStart});");
                w.Line($"MultiplyBlock({BlockStart}, {BlockCount});");
                body();
            }
            foreach (var product in blocking.Products) reverse.BlockOffsets.Remove(product.Name);
        }

        /// <summary>A term's loops with the first one over a range of rows: the current block's by default.</summary>
        public static System.IDisposable BlockLoops(SourceWriter w, Helpers.EquatableArray<IndexDecl> indices, string start = BlockStart, string count = BlockCount)
        {
            var first = indices[0].Variable;
            var scopes = new List<System.IDisposable> { w.Block($"for (var {first} = {start}; {first} < {start} + {count}; {first}++)") };
            scopes.AddRange(indices.Skip(1).Select(i => w.Block($"for (var {i.Variable} = 0; {i.Variable} < {CodeExpr.Size(i.Plate)}; {i.Variable}++)")));
            return SourceWriter.Nested(scopes);
        }

        /// <summary>At the start of an evaluation: the products not blocked, and their adjoints cleared.</summary>
        public static void EmitEvaluation(SourceWriter w, MatrixProducts products, ProductLayout.RowBlocking? blocking)
        {
            if (products.Products.Count == 0) return;
            w.Line("MultiplyMatrices();");
            foreach (var product in products.Products.Where(p => blocking?.Holds(p) != true)) w.Line($"global::System.Array.Clear({Adjoint(product.Name)});");
        }

        /// <summary>
        /// After the entry loops: each product's adjoint ∂P, outermost product first, sent to its factors. For
        /// P = L·R, ∂L += ∂P·Rᵀ and ∂R += Lᵀ·∂P; a factor stored transposed takes the transpose (∂Lᵀ = R·∂Pᵀ).
        /// The blocked products were sent back block by block (<see cref="EmitBlockBackward"/>).
        /// </summary>
        public static void EmitBackward(SourceWriter w, ModelSpec spec, MatrixProducts products, ProductLayout.RowBlocking? blocking)
        {
            foreach (var product in products.Products.Reverse().Where(p => blocking?.Holds(p) != true))
                EmitProductBackward(w, product, $"{View}.RowMajor({Adjoint(product.Name)}, model.{CodeExpr.Size(product.Rows)}, model.{CodeExpr.Size(product.Columns)})", null);
        }

        /// <summary>Inside a block: the blocked products' adjoints for the block's rows, sent to their factors (the left one's rows of the block only).</summary>
        public static void EmitBlockBackward(SourceWriter w, ProductLayout.RowBlocking blocking)
        {
            foreach (var product in blocking.Products)
                EmitProductBackward(w, product, $"{View}.RowMajor({Adjoint(product.Name)}, {BlockCount}, model.{CodeExpr.Size(product.Columns)})", BlockStart);
        }

        /// <param name="blockStart">null for a whole product; else the block's first row, where the left factor's rows (stored columns, if transposed) begin</param>
        private static void EmitProductBackward(SourceWriter w, MatrixProduct product, string adjoint, string? blockStart)
        {
            var (left, right) = (product.Left, product.Right);
            var leftRows = blockStart is null ? Read(left) : $"{Read(left)}.RowBlock({blockStart}, {BlockCount})";
            var leftRowsTransposed = blockStart is null ? Read(left, true) : $"{leftRows}.Transposed()";
            if (Unknown(left))
            {
                // A block's rows of op(L) are rows of L (offset start·columns) or, stored transposed, columns of L (offset start).
                var offset = blockStart is null ? "0" : left.Transposed ? blockStart : $"{blockStart} * model.{CodeExpr.Size(left.Columns)}";
                Accumulate(w, left, offset, left.Transposed
                    ? ($"{Describe(right, false)}·∂{product.Name}ᵀ", Read(right, false), adjoint + ".Transposed()")
                    : ($"∂{product.Name}·{Describe(right, true)}", adjoint, Read(right, true)));
            }
            if (Unknown(right))
                Accumulate(w, right, "0", right.Transposed
                    ? ($"∂{product.Name}ᵀ·{Describe(left, false)}", adjoint + ".Transposed()", leftRows)
                    : ($"{Describe(left, true)}·∂{product.Name}", leftRowsTransposed, adjoint));
        }

        /// <summary>∂factor (as stored, from <paramref name="offset"/>) += a·b.</summary>
        private static void Accumulate(SourceWriter w, MatrixFactor factor, string offset, (string Math, string A, string B) term)
        {
            w.Line($"// ∂{factor.Node} += {term.Math}");
            w.Line($"{Gemm}.Multiply({term.A}, {term.B}, {Gradient(factor)}, {offset}, model.{CodeExpr.Size(factor.Columns)}, accumulate: true, Threads);");
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
