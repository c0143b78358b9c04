using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Emit;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// How a sampler's or objective's log density evaluates its matrix products: which products there are (in
    /// evaluation order), the plate whose rows the observations can be evaluated a range at a time, and which products
    /// live one block of those rows at a time instead of whole (their buffers' layout).
    /// </summary>
    public sealed record ProductLayout(MatrixProducts Products, ProductLayout.RowBlocking? Blocking, string? RowPlate)
    {
        /// <summary>
        /// The outermost products over the observations' first plate (cells): computed, read and differentiated one
        /// block of those rows at a time, so a cells × genes product never exists whole (its buffer is a block).
        /// </summary>
        public sealed record RowBlocking(string Plate, IReadOnlyList<MatrixProduct> Products)
        {
            public bool Holds(MatrixProduct product) => Products.Contains(product);
        }

        public static ProductLayout Lower(ModelSpec spec, SamplingPlan plan)
        {
            // The products in the scalar terms' arguments (vector and categorical terms keep their own loops).
            var products = MatrixProducts.Find(spec, plan.Terms.Select(t => ExprTools.Find(spec, t)!)
                .Where(n => !SimplexEmitter.IsVector(n) && n.Declaration.Distribution!.Name != "Categorical")
                .SelectMany(n => SamplingEmitter.Arguments(spec, n).Select(a => (a, (IReadOnlyList<string>)n.Indices.Select(i => i.Variable).ToList()))));
            var rowPlate = RowPlateOf(spec, plan);
            return new ProductLayout(products, BlockingOf(spec, plan, products, rowPlate), rowPlate);
        }

        /// <summary>
        /// Blocking applies where every observation is a scalar term over the same first plate, nothing is summed out,
        /// and some product over that plate's rows is read only by the observations and is no other product's factor.
        /// </summary>
        private static RowBlocking? BlockingOf(ModelSpec spec, SamplingPlan plan, MatrixProducts products, string? rowPlate)
        {
            if (products.Products.Count == 0 || rowPlate is not { } plate) return null;
            var terms = plan.Terms.Select(t => ExprTools.Find(spec, t)!).ToList();
            var factors = new HashSet<string>(products.Products.SelectMany(p => new[] { p.Left.Node, p.Right.Node }));
            var readElsewhere = new HashSet<string>(terms.Where(n => n.Role != NodeRole.Observed)
                .SelectMany(n => SamplingEmitter.Arguments(spec, n)).SelectMany(a => ExprTools.Calls(products.Rewrite(a))).Select(c => c.Node));
            var blocked = products.Products.Where(p => p.Rows == plate && !factors.Contains(p.Name) && !readElsewhere.Contains(p.Name)).ToList();
            return blocked.Count == 0 ? null : new RowBlocking(plate, blocked);
        }

        /// <summary>
        /// The plate whose rows the observations can be evaluated a range at a time (blocks of a product, minibatches):
        /// every observation a scalar term whose first plate it is, and nothing summed out; null otherwise.
        /// </summary>
        private static string? RowPlateOf(ModelSpec spec, SamplingPlan plan)
        {
            if (plan.Summed.Count > 0) return null;
            var observed = plan.Terms.Select(t => ExprTools.Find(spec, t)!).Where(n => n.Role == NodeRole.Observed).ToList();
            if (observed.Count == 0 || observed.Any(n => SimplexEmitter.IsVector(n) || n.Declaration.Distribution!.Name == "Categorical" || n.Indices.Count == 0)) return null;
            var plate = observed[0].Indices[0].Plate;
            return observed.All(n => n.Indices[0].Plate == plate) ? plate : null;
        }
    }
}
