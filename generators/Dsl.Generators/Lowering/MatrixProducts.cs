using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// One factor of a matrix product: a node's stored values (or an earlier product's) as the row-major matrix of its
    /// two plates, and whether the product reads it transposed (its declared index order is the other way round).
    /// </summary>
    public sealed record MatrixFactor(string Node, NodeRole Role, string Rows, string Columns, bool Transposed);

    /// <summary>
    /// P(i, j) = Σ_k Left(i, k)·Right(k, j), a <see cref="Rows"/> × <see cref="Columns"/> matrix evaluated once by the
    /// runtime's GEMM where the expressions read it entry by entry; <see cref="Formula"/> states it as declared.
    /// </summary>
    public sealed record MatrixProduct(string Name, string Rows, string Inner, string Columns, MatrixFactor Left, MatrixFactor Right, string Formula, int Line);

    /// <summary>
    /// Finds matrix products in expressions and lowers them: a <c>Sum</c> over a plate k whose body is the product of
    /// two factors, each a real node read at (another index, k) in either order, or itself such a sum (a chain,
    /// D1·D2·D3·Z), is one matrix product. Entry-by-entry code would redo its inner loop at every entry it is read at
    /// (and a chain's nested loops multiply), so the product becomes a node of its own, filled by GEMM before the
    /// entry loops; its adjoint, gathered by the entry loops, is sent back to the factors by two more GEMMs
    /// (∂Left = ∂P·Rightᵀ, ∂Right = Leftᵀ·∂P). Matching is by structure alone.
    /// </summary>
    public sealed class MatrixProducts
    {
        private readonly ModelSpec model;
        private readonly List<MatrixProduct> products = new();
        private readonly Dictionary<string, MatrixProduct> byShape = new();

        private MatrixProducts(ModelSpec model) { this.model = model; Spec = model; }

        /// <summary>The products in evaluation order: each after the products it reads.</summary>
        public IReadOnlyList<MatrixProduct> Products => products;

        /// <summary>The model with a latent-like node per product, so reverse mode reads and differentiates a product as it does any stored node.</summary>
        public ModelSpec Spec { get; private set; }

        /// <summary>
        /// Lowers every product in the given expressions (deterministic nodes inlined first); later rewrites lower only
        /// these, so no product is read that the emitted code does not evaluate.
        /// </summary>
        /// <param name="expressions">each expression with the index variables of the loops it is read in, outermost first</param>
        public static MatrixProducts Find(ModelSpec spec, IEnumerable<(Expr Expr, IReadOnlyList<string> Loops)> expressions)
        {
            var found = new MatrixProducts(spec);
            foreach (var (expr, loops) in expressions)
            {
                found.loops = loops;
                found.Rewrite(expr);
            }
            (found.frozen, found.loops) = (true, null);
            return found;
        }

        private bool frozen;

        /// <summary>
        /// The loops a new product is read in: its rows follow the outer loop's index, so the entry loops walk it
        /// row by row (a product read column-wise would be read a cache line per entry).
        /// </summary>
        private IReadOnlyList<string>? loops;

        /// <summary>The expression with each product replaced by a read of its node at the product's free indices.</summary>
        public Expr Rewrite(Expr expr) => Lower(ExprTools.Inline(expr, model));

        private Expr Lower(Expr expr) => expr switch
        {
            SumExpr sum when Match(sum) is { } match => new NodeCallExpr(match.Product.Name,
                EquatableArray.Of<Expr>(new IndexExpr(match.Row, sum.Location), new IndexExpr(match.Column, sum.Location)), sum.Location),
            SumExpr sum => sum with { Over = sum.Over with { Body = Lower(sum.Over.Body) } },
            NodeCallExpr call => call with { Indices = call.Indices.Select(Lower).ToEquatableArray() },
            FunctionExpr f => f with { Arguments = f.Arguments.Select(Lower).ToEquatableArray() },
            BinaryExpr b => b with { Left = Lower(b.Left), Right = Lower(b.Right) },
            NegateExpr n => n with { Operand = Lower(n.Operand) },
            _ => expr,
        };

        /// <summary>A factor read at (free index, summed index) in some order: its matrix and which of its indices is free.</summary>
        private sealed record Operand(MatrixFactor Matrix, string Free, bool SummedFirst);

        private sealed record Found(MatrixProduct Product, string Row, string Column);

        private Found? Match(SumExpr sum)
        {
            if (sum.Over.Body is not BinaryExpr { Operator: '*' } times) return null;
            var k = sum.Over.Variable;
            if (Factor(times.Left, k) is not { } left || Factor(times.Right, k) is not { } right) return null;
            if (left.Free == right.Free) return null;
            // The same product either way round (Pᵀ = Rᵀ·Lᵀ): one already lowered is read as it was built.
            var (straight, swapped) = (Oriented(left, right), Oriented(right, left));
            if (byShape.TryGetValue(straight.Key, out var known)) return new Found(known, left.Free, right.Free);
            if (byShape.TryGetValue(swapped.Key, out known)) return new Found(known, right.Free, left.Free);
            if (frozen) return null;
            var flip = loops is not null && loops.Contains(left.Free) && loops.Contains(right.Free) && Position(left.Free) > Position(right.Free);
            var (l, r, _) = flip ? swapped : straight;
            var product = new MatrixProduct($"ldProduct{products.Count + 1}", l.Transposed ? l.Columns : l.Rows, sum.Over.Plate, r.Transposed ? r.Rows : r.Columns, l, r,
                Emit.ExprPrinter.Print(sum), sum.Location.Line);
            products.Add(product);
            byShape[flip ? swapped.Key : straight.Key] = product;
            Spec = Spec with { Nodes = Spec.Nodes.Append(Node(product, sum.Location)).ToEquatableArray() };
            return flip ? new Found(product, right.Free, left.Free) : new Found(product, left.Free, right.Free);
        }

        private int Position(string variable) => loops!.ToList().IndexOf(variable);

        /// <summary>
        /// The factors of P(i, j) = Σ_k L(i, k)·R(k, j) with L = <paramref name="row"/> and R = <paramref name="column"/>:
        /// L is read transposed when its summed index comes first, R when it comes second.
        /// </summary>
        private static (MatrixFactor Left, MatrixFactor Right, string Key) Oriented(Operand row, Operand column)
        {
            var l = row.Matrix with { Transposed = row.Matrix.Transposed ^ row.SummedFirst };
            var r = column.Matrix with { Transposed = column.Matrix.Transposed ^ !column.SummedFirst };
            return (l, r, $"{Describe(l)}·{Describe(r)}");
        }

        private static string Describe(MatrixFactor f) => f.Transposed ? $"{f.Node}ᵀ" : f.Node;

        /// <summary>A real node, or a product, read at the summed index and one free index variable.</summary>
        private Operand? Factor(Expr expr, string summed)
        {
            if (expr is SumExpr inner)
            {
                if (Match(inner) is not { } match) return null;
                var matrix = new MatrixFactor(match.Product.Name, NodeRole.Latent, match.Product.Rows, match.Product.Columns, false);
                return match.Row == summed && match.Column != summed ? new Operand(matrix, match.Column, true)
                    : match.Column == summed && match.Row != summed ? new Operand(matrix, match.Row, false)
                    : null;
            }
            if (expr is not NodeCallExpr { Indices.Count: 2 } call || call.Indices[0] is not IndexExpr first || call.Indices[1] is not IndexExpr second) return null;
            if (ExprTools.Find(Spec, call.Node) is not { Kind: ValueKind.Real, Role: NodeRole.Param or NodeRole.Data or NodeRole.Latent } node) return null;
            if (node.Declaration.Constraints.Simplex) return null;
            var stored = new MatrixFactor(node.Name, node.Role, node.Indices[0].Plate, node.Indices[1].Plate, false);
            return first.Name == summed && second.Name != summed ? new Operand(stored, second.Name, true)
                : second.Name == summed && first.Name != summed ? new Operand(stored, first.Name, false)
                : null;
        }

        /// <summary>The product as a node over (its rows' plate, its columns' plate), which reverse mode treats as a latent: read from ldProductNValue, adjoint into ldProductNGradient.</summary>
        private static NodeSpec Node(MatrixProduct product, LocationInfo location)
        {
            var indices = EquatableArray.Of(new IndexDecl("i", product.Rows, location), new IndexDecl("j", product.Columns, location));
            var declaration = new NodeDecl(product.Name, "", EquatableArray.Of("Latent"), "double", indices, false, false, null, null,
                new ConstraintsDecl(false, null, false, null, null), null, null, location);
            return new NodeSpec(declaration, ValueKind.Real, null, EquatableArray<string>.Empty);
        }
    }
}
