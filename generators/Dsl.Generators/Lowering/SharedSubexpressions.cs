using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Emit;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>A function application computed once into a local, and the expressions rewritten to read it.</summary>
    internal sealed record SharedLocals(IReadOnlyList<(string Local, Expr Value)> Locals, IReadOnlyList<Expr> Roots);

    /// <summary>
    /// Common-subexpression elimination over function applications: a value and its symbolic derivative repeat the
    /// same Exp, Log or Logistic (the chain rule of Exp is Exp itself), so each application that occurs more than once
    /// across the expressions is bound to a local, innermost first, and every occurrence reads the local.
    /// Occurrences are matched by their IR, never by emitted text.
    /// </summary>
    internal static class SharedSubexpressions
    {
        public static SharedLocals Extract(IReadOnlyList<Expr> roots, string prefix)
        {
            var locals = new List<(string, Expr)>();
            var current = roots.ToList();
            while (true)
            {
                var repeated = current.SelectMany(Applications).GroupBy(Key).FirstOrDefault(g => g.Count() > 1);
                if (repeated is null) return new SharedLocals(locals, current);
                var local = $"{prefix}{locals.Count}";
                var value = repeated.First();
                locals.Add((local, value));
                var key = repeated.Key;
                current = current.Select(root => Replace(root, key, new IndexExpr(local, value.Location))).ToList();
            }
        }

        /// <summary>The expression's function applications, innermost first.</summary>
        private static IEnumerable<FunctionExpr> Applications(Expr expr) => expr switch
        {
            FunctionExpr f => f.Arguments.SelectMany(Applications).Append(f),
            BinaryExpr b => Applications(b.Left).Concat(Applications(b.Right)),
            NegateExpr n => Applications(n.Operand),
            NodeCallExpr call => call.Indices.SelectMany(Applications),
            _ => Enumerable.Empty<FunctionExpr>(),
        };

        private static string Key(Expr expr) => ExprPrinter.Print(expr);

        private static Expr Replace(Expr expr, string key, Expr replacement) => expr switch
        {
            FunctionExpr f when Key(f) == key => replacement,
            FunctionExpr f => f with { Arguments = f.Arguments.Select(a => Replace(a, key, replacement)).ToEquatableArray() },
            BinaryExpr b => b with { Left = Replace(b.Left, key, replacement), Right = Replace(b.Right, key, replacement) },
            NegateExpr n => n with { Operand = Replace(n.Operand, key, replacement) },
            _ => expr,
        };
    }
}
