using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>Structural operations on the expression IR that the inference rules are written in.</summary>
    internal static class ExprTools
    {
        /// <summary>Replaces every call to a deterministic node by its body, with the node's indices bound to the call's arguments.</summary>
        public static Expr Inline(Expr expr, ModelSpec spec) => expr switch
        {
            NodeCallExpr call when Find(spec, call.Node) is { Role: NodeRole.Deterministic, Declaration.Body: { } body } node =>
                Inline(Substitute(body, Bindings(node, call)), spec),
            NodeCallExpr call => call with { Indices = call.Indices.Select(i => Inline(i, spec)).ToEquatableArray() },
            FunctionExpr f => f with { Arguments = f.Arguments.Select(a => Inline(a, spec)).ToEquatableArray() },
            SumExpr s => s with { Over = s.Over with { Body = Inline(s.Over.Body, spec) } },
            BinaryExpr b => b with { Left = Inline(b.Left, spec), Right = Inline(b.Right, spec) },
            NegateExpr n => n with { Operand = Inline(n.Operand, spec) },
            _ => expr,
        };

        /// <summary>Replaces every call to <paramref name="node"/> by <paramref name="replacement"/> (a summed latent by its value).</summary>
        public static Expr ReplaceCalls(Expr expr, string node, Expr replacement) => expr switch
        {
            NodeCallExpr call when call.Node == node => replacement,
            NodeCallExpr call => call with { Indices = call.Indices.Select(i => ReplaceCalls(i, node, replacement)).ToEquatableArray() },
            FunctionExpr f => f with { Arguments = f.Arguments.Select(a => ReplaceCalls(a, node, replacement)).ToEquatableArray() },
            SumExpr s => s with { Over = s.Over with { Body = ReplaceCalls(s.Over.Body, node, replacement) } },
            BinaryExpr b => b with { Left = ReplaceCalls(b.Left, node, replacement), Right = ReplaceCalls(b.Right, node, replacement) },
            NegateExpr n => n with { Operand = ReplaceCalls(n.Operand, node, replacement) },
            _ => expr,
        };

        /// <summary>
        /// Renames index variables (a lambda's own variable shadows the mapping inside its body). Where a replacement
        /// reads a variable of the lambda's name, the lambda's variable is renamed first, so the replacement is not
        /// captured: <c>mu(d)</c> with <c>mu(n) = Sum((Coef d) =&gt; x(n, d))</c> stays a sum over another variable.
        /// </summary>
        public static Expr Substitute(Expr expr, IReadOnlyDictionary<string, Expr> map) => expr switch
        {
            IndexExpr index when map.TryGetValue(index.Name, out var replacement) => replacement,
            NodeCallExpr call => call with { Indices = call.Indices.Select(i => Substitute(i, map)).ToEquatableArray() },
            FunctionExpr f => f with { Arguments = f.Arguments.Select(a => Substitute(a, map)).ToEquatableArray() },
            SumExpr s => SubstituteInSum(s, map.Where(p => p.Key != s.Over.Variable).ToDictionary(p => p.Key, p => p.Value)),
            BinaryExpr b => b with { Left = Substitute(b.Left, map), Right = Substitute(b.Right, map) },
            NegateExpr n => n with { Operand = Substitute(n.Operand, map) },
            _ => expr,
        };

        private static Expr SubstituteInSum(SumExpr sum, Dictionary<string, Expr> map)
        {
            var renamed = map.Values.Any(v => UsesIndex(v, sum.Over.Variable)) ? Rename(sum, map.Values.Append(sum.Over.Body).ToList()) : sum;
            return renamed with { Over = renamed.Over with { Body = Substitute(renamed.Over.Body, map) } };
        }

        /// <summary>The same sum over a fresh variable (<c>ld</c> and the old name and a number), unused by <paramref name="around"/>.</summary>
        public static SumExpr Rename(SumExpr sum, IReadOnlyList<Expr> around)
        {
            var fresh = Enumerable.Range(1, int.MaxValue).Select(n => $"ld{sum.Over.Variable}{n}").First(name => around.All(e => !UsesIndex(e, name)));
            var body = Substitute(sum.Over.Body, new Dictionary<string, Expr> { [sum.Over.Variable] = new IndexExpr(fresh, sum.Location) });
            return sum with { Over = sum.Over with { Variable = fresh, Body = body } };
        }

        public static Dictionary<string, Expr> Bindings(NodeSpec node, NodeCallExpr call)
        {
            var map = new Dictionary<string, Expr>();
            for (var i = 0; i < node.Indices.Count && i < call.Indices.Count; i++) map[node.Indices[i].Variable] = call.Indices[i];
            return map;
        }

        public static NodeSpec? Find(ModelSpec spec, string name) => spec.Nodes.FirstOrDefault(n => n.Name == name);

        /// <summary>Every node call in the expression, including those inside index arguments and sums.</summary>
        public static IEnumerable<NodeCallExpr> Calls(Expr expr) => expr switch
        {
            NodeCallExpr call => new[] { call }.Concat(call.Indices.SelectMany(Calls)),
            FunctionExpr f => f.Arguments.SelectMany(Calls),
            SumExpr s => Calls(s.Over.Body),
            LambdaExpr l => Calls(l.Body),
            BinaryExpr b => Calls(b.Left).Concat(Calls(b.Right)),
            NegateExpr n => Calls(n.Operand),
            PlateEntryExpr e => Calls(e.Position),
            _ => Enumerable.Empty<NodeCallExpr>(),
        };

        /// <summary>
        /// For each plate the declaration reads fixed entries of (<c>new Coef(1)</c>), the highest such entry and the line
        /// reading it: the plate must have more entries than that.
        /// </summary>
        public static IEnumerable<(string Plate, int Entry, int Line)> FixedEntries(ModelSpec spec)
        {
            IEnumerable<PlateConstantExpr> In(Expr e) => e switch
            {
                PlateConstantExpr entry => new[] { entry },
                NodeCallExpr call => call.Indices.SelectMany(In),
                FunctionExpr f => f.Arguments.SelectMany(In),
                SumExpr s => In(s.Over.Body),
                LambdaExpr l => In(l.Body),
                BinaryExpr b => In(b.Left).Concat(In(b.Right)),
                NegateExpr n => In(n.Operand),
                _ => Enumerable.Empty<PlateConstantExpr>(),
            };
            var entries = spec.Nodes.SelectMany(n =>
                (n.Declaration.Body is { } body ? In(body) : Enumerable.Empty<PlateConstantExpr>())
                .Concat(n.Declaration.Distribution?.Arguments.SelectMany(a => In(a.Value)) ?? Enumerable.Empty<PlateConstantExpr>()));
            return entries.GroupBy(e => e.Plate).Select(g => g.OrderByDescending(e => e.Value).First()).Select(e => (e.Plate, e.Value, e.Location.Line));
        }

        /// <summary>A node read at its own index variables, <c>y(n, g)</c>: its value at the entry a loop over its plates is at.</summary>
        public static NodeCallExpr OwnCall(NodeSpec node) =>
            new(node.Name, Helpers.EquatableArray.ToEquatableArray(node.Indices.Select(i => (Expr)new IndexExpr(i.Variable, i.Location))), node.Declaration.Location);

        /// <summary>The expression and every expression inside it, outermost first.</summary>
        public static IEnumerable<Expr> Subexpressions(Expr expr)
        {
            yield return expr;
            var inner = expr switch
            {
                NodeCallExpr call => call.Indices.AsEnumerable(),
                FunctionExpr f => f.Arguments,
                SumExpr s => new[] { s.Over.Body },
                LambdaExpr l => new[] { l.Body },
                BinaryExpr b => new[] { b.Left, b.Right },
                NegateExpr n => new[] { n.Operand },
                PlateEntryExpr e => new[] { e.Position },
                _ => Enumerable.Empty<Expr>(),
            };
            foreach (var e in inner.SelectMany(Subexpressions)) yield return e;
        }

        public static bool Mentions(Expr expr, ModelSpec spec, params NodeRole[] roles) =>
            Calls(expr).Any(c => Find(spec, c.Node) is { } n && roles.Contains(n.Role));

        public static bool Mentions(Expr expr, string node) => Calls(expr).Any(c => c.Node == node);

        /// <summary>Whether the expression reads plate index <paramref name="variable"/> (a node can only see a plate through its index arguments).</summary>
        public static bool UsesIndex(Expr expr, string variable) => expr switch
        {
            IndexExpr index => index.Name == variable,
            NodeCallExpr call => call.Indices.Any(a => UsesIndex(a, variable)),
            FunctionExpr f => f.Arguments.Any(a => UsesIndex(a, variable)),
            SumExpr s => UsesIndex(s.Over.Body, variable),
            LambdaExpr l => UsesIndex(l.Body, variable),
            BinaryExpr b => UsesIndex(b.Left, variable) || UsesIndex(b.Right, variable),
            NegateExpr n => UsesIndex(n.Operand, variable),
            _ => false,
        };

        /// <summary>The terms of a sum written with '+' (a '-' becomes a negated term).</summary>
        public static List<Expr> Terms(Expr expr)
        {
            var terms = new List<Expr>();
            void Walk(Expr e, bool negate)
            {
                if (e is BinaryExpr { Operator: '+' } plus) { Walk(plus.Left, negate); Walk(plus.Right, negate); }
                else if (e is BinaryExpr { Operator: '-' } minus) { Walk(minus.Left, negate); Walk(minus.Right, !negate); }
                else terms.Add(negate ? new NegateExpr(e, e.Location) : e);
            }
            Walk(expr, false);
            return terms;
        }

        /// <summary>The factors of a product written with '*'.</summary>
        public static List<Expr> Factors(Expr expr)
        {
            var factors = new List<Expr>();
            void Walk(Expr e)
            {
                if (e is BinaryExpr { Operator: '*' } times) { Walk(times.Left); Walk(times.Right); }
                else factors.Add(e);
            }
            Walk(expr);
            return factors;
        }

        /// <summary>
        /// c where expr = node(...) * c with c free of the node (1 where expr is the call alone), or null where the
        /// node enters otherwise: the slope of expr in that entry of the node.
        /// </summary>
        public static Expr? AffineCofactor(Expr expr, string node) =>
            AffineSplit(expr, node) is { Factor: NodeCallExpr call } split && call.Node == node && !call.Indices.Any(i => Mentions(i, node)) ? split.Cofactor : null;

        /// <summary>
        /// (g, c) where expr = g * c, g the one factor of the product that mentions the node and c the product of the
        /// others (1 where there are none): expr is affine in g with slope c. Null where the node is in several factors.
        /// </summary>
        public static (Expr Factor, Expr Cofactor)? AffineSplit(Expr expr, string node)
        {
            var factors = Factors(expr);
            var mine = factors.Where(f => Mentions(f, node)).ToList();
            if (mine.Count != 1) return null;
            return (mine[0], Product(factors.Where(f => f != mine[0]).ToList(), expr));
        }

        /// <summary>The product of the factors (1 for none).</summary>
        public static Expr Product(IReadOnlyList<Expr> factors, Expr anchor) =>
            factors.Count == 0 ? new ConstantExpr(1, anchor.Location) : factors.Skip(1).Aggregate(factors[0], (a, b) => new BinaryExpr('*', a, b, a.Location));

        /// <summary>Structural equality that ignores source locations.</summary>
        public static bool SameShape(Expr a, Expr b) => (a, b) switch
        {
            (ConstantExpr x, ConstantExpr y) => x.Value == y.Value,
            (IndexExpr x, IndexExpr y) => x.Name == y.Name,
            (PlateConstantExpr x, PlateConstantExpr y) => x.Plate == y.Plate && x.Value == y.Value,
            (NodeCallExpr x, NodeCallExpr y) => x.Node == y.Node && AllSame(x.Indices, y.Indices),
            (FunctionExpr x, FunctionExpr y) => x.Function == y.Function && AllSame(x.Arguments, y.Arguments),
            (SumExpr x, SumExpr y) => x.Over.Plate == y.Over.Plate &&
                SameShape(x.Over.Body, Substitute(y.Over.Body, new Dictionary<string, Expr> { [y.Over.Variable] = new IndexExpr(x.Over.Variable, y.Location) })),
            (BinaryExpr x, BinaryExpr y) => x.Operator == y.Operator && SameShape(x.Left, y.Left) && SameShape(x.Right, y.Right),
            (NegateExpr x, NegateExpr y) => SameShape(x.Operand, y.Operand),
            _ => false,
        };

        private static bool AllSame(EquatableArray<Expr> a, EquatableArray<Expr> b) =>
            a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => SameShape(a[i], b[i]));

        /// <summary>A random node's distribution arguments in the catalogue's order, read at one call of it (its indices bound to the call's).</summary>
        public static List<Expr> ArgumentsAt(ModelSpec spec, NodeSpec node, NodeCallExpr call)
        {
            var bindings = Bindings(node, call);
            return Emit.SamplingEmitter.Arguments(spec, node).Select(a => Substitute(a, bindings)).ToList();
        }

        /// <summary>The value of a distribution argument, with deterministic nodes inlined.</summary>
        public static Expr? Argument(NodeSpec node, string name, ModelSpec spec) =>
            node.Declaration.Distribution?.Arguments.FirstOrDefault(a => a.Name == name) is { } argument ? Inline(argument.Value, spec) : null;
    }
}
