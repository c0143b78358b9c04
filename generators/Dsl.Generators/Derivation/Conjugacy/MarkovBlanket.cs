using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Where a child reads the latent being updated: the one distribution argument that mentions it (deterministic
    /// nodes inlined) and the one entry it reads there, <see cref="Call"/>, in the child's own index variables. A
    /// Categorical's probabilities are a lambda over its categories; <see cref="Category"/> is then the lambda's variable.
    /// </summary>
    /// <remarks>
    /// A read inside a sum that <see cref="AllocationSplit"/> splits is one term of the sum: <see cref="Value"/> is the
    /// term, and the child's value is the count allocated to it.
    /// </remarks>
    internal sealed record ChildRead(NodeSpec Child, string Argument, Expr Value, NodeCallExpr Call, string? Category, AllocationSplit? Split = null)
    {
        /// <summary>The child's own value at its indices, as a call the emitter reads from the sampler's state (its split count y_k where split).</summary>
        public Expr Own => Split is null ? ExprTools.OwnCall(Child) : AllocationSplit.Allocated(Value);

        /// <summary>The child's other argument by name, inlined (null where the child does not give it).</summary>
        public Expr? Other(ModelSpec spec, string name) => ExprTools.Argument(Child, name, spec);
    }

    /// <summary>A latent's Markov blanket as the catalogue entries see it: its stochastic children and how each reads it.</summary>
    internal static class MarkovBlanket
    {
        /// <summary>Latent and observed nodes whose distribution reads <paramref name="latent"/>, deterministic nodes inlined.</summary>
        public static List<NodeSpec> Children(ModelSpec spec, string latent) =>
            spec.Nodes.Where(n => n.Declaration.Distribution is { } d && d.Arguments.Any(a => Reads(ExprTools.Inline(a.Value, spec), latent))).ToList();

        /// <summary>
        /// The child's read of the latent, or null with <paramref name="why"/>: it must read one entry, in one argument,
        /// outside any sum (an entry read inside a sum couples the latent's entries, which an entry-wise update cannot draw).
        /// </summary>
        public static ChildRead? Read(ModelSpec spec, NodeSpec child, string latent, out string? why)
        {
            why = null;
            var arguments = child.Declaration.Distribution!.Arguments
                .Select(a => (a.Name, Value: a.Value is LambdaExpr ? a.Value : ExprTools.Inline(a.Value, spec))).Where(a => Reads(a.Value, latent)).ToList();
            if (arguments.Count != 1)
            {
                why = $"child '{child.Name}' reads it in {arguments.Count} arguments ({string.Join(", ", arguments.Select(a => a.Name))})";
                return null;
            }
            var (name, value) = arguments[0];
            string? category = null;
            if (value is LambdaExpr lambda)
            {
                category = lambda.Variable;
                value = ExprTools.Inline(lambda.Body, spec);
            }
            AllocationSplit? split = null;
            if (InsideSum(value, latent))
            {
                if (category is not null || (split = AllocationSplit.Find(spec, child, name, value, latent, out why)) is null)
                {
                    why ??= $"child '{child.Name}' reads it inside a sum over a plate, so its entries are not conditionally independent";
                    return null;
                }
                value = split.Term;
            }
            var calls = ExprTools.Calls(value).Where(c => c.Node == latent).ToList();
            if (calls.Skip(1).Any(c => !ExprTools.SameShape(c, calls[0])) || calls[0].Indices.Any(i => ExprTools.Mentions(i, latent)))
            {
                why = $"child '{child.Name}' reads more than one entry of it";
                return null;
            }
            return new ChildRead(child, name, value, calls[0], category, split);
        }

        private static bool Reads(Expr expr, string latent) => expr is LambdaExpr lambda ? ExprTools.Mentions(lambda.Body, latent) : ExprTools.Mentions(expr, latent);

        private static bool InsideSum(Expr expr, string latent) => expr switch
        {
            SumExpr sum => ExprTools.Mentions(sum.Over.Body, latent),
            FunctionExpr f => f.Arguments.Any(a => InsideSum(a, latent)),
            BinaryExpr b => InsideSum(b.Left, latent) || InsideSum(b.Right, latent),
            NegateExpr n => InsideSum(n.Operand, latent),
            NodeCallExpr call => call.Indices.Any(i => InsideSum(i, latent)),
            _ => false,
        };
    }
}
