using System;
using Dsl.Generators.Emit;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Symbolic derivatives of IR expressions with respect to one node element, simplified as they are built
    /// (0 and 1 folded away) so the emitted chain rule reads like the hand-derived one.
    /// </summary>
    internal static class Differentiation
    {
        /// <summary>∂expr/∂target, where target is one element of a node (a call with concrete index expressions).</summary>
        public static Expr Derivative(Expr expr, NodeCallExpr target)
        {
            var at = expr.Location;
            switch (expr)
            {
                case ConstantExpr or IndexExpr or PlateConstantExpr:
                    return Zero(at);
                case NodeCallExpr call:
                    return ExprTools.SameShape(call, target) ? One(at) : Zero(at);
                case NegateExpr n:
                    return Negate(Derivative(n.Operand, target));
                case BinaryExpr b:
                    var left = Derivative(b.Left, target);
                    var right = Derivative(b.Right, target);
                    return b.Operator switch
                    {
                        '+' => Add(left, right),
                        '-' => Subtract(left, right),
                        '*' => Add(Multiply(left, b.Right), Multiply(b.Left, right)),
                        // (u/v)' = u'/v − u·v'/v²
                        '/' => Subtract(Divide(left, b.Right), Divide(Multiply(b.Left, right), Multiply(b.Right, b.Right))),
                        _ => throw new NotSupportedException($"operator '{b.Operator}'"),
                    };
                // A sum that never reads the target is constant in it (a design row's product with other coefficients).
                case SumExpr sum when !ExprTools.Mentions(sum.Over.Body, target.Node):
                    return Zero(at);
                case FunctionExpr f:
                    var inner = Derivative(f.Arguments[0], target);
                    return IsZero(inner) ? inner : Multiply(Outer(f), inner);
                default:
                    throw new NotSupportedException($"cannot differentiate '{ExprPrinter.Print(expr)}'");
            }
        }

        /// <summary>The derivative of an elementwise function at its argument.</summary>
        public static Expr Outer(FunctionExpr f)
        {
            var u = f.Arguments[0];
            var at = f.Location;
            return f.Function switch
            {
                "Exp" => f,
                "Log" => Divide(One(at), u),
                "Log1p" => Divide(One(at), Add(One(at), u)),
                "Sqrt" => Divide(new ConstantExpr(0.5, at), f),
                "Softplus" => new FunctionExpr("Logistic", f.Arguments, at),
                // σ' = σ·(1 − σ)
                "Logistic" => Multiply(f, Subtract(One(at), f)),
                // d/dz log(1 − e^z) = −e^z / (1 − e^z) = −1 / (e^−z − 1), accurate near z = 0 through expm1.
                "Log1mExp" => Divide(new ConstantExpr(-1, at), new FunctionExpr("Expm1", Helpers.EquatableArray.Of(Negate(u)), at)),
                "Expm1" => new FunctionExpr("Exp", f.Arguments, at),
                // Φ' = φ, the standard normal density e^{−u²/2} / √(2π).
                "Phi" => Multiply(new ConstantExpr(0.39894228040143268, at), Exp(Multiply(new ConstantExpr(-0.5, at), Multiply(u, u)))),
                // (log Φ)' = φ / Φ = exp(−u²/2 − log √(2π) − log Φ(u)), finite where φ and Φ both underflow.
                "LogPhi" => Exp(Subtract(Multiply(new ConstantExpr(-0.5, at), Multiply(u, u)), Add(new ConstantExpr(0.91893853320467274, at), f))),
                _ => throw new NotSupportedException($"no derivative for function '{f.Function}'"),
            };
        }

        public static bool IsZero(Expr e) => e is ConstantExpr { Value: 0 };

        private static bool IsOne(Expr e) => e is ConstantExpr { Value: 1 };

        private static Expr Zero(Dsl.Generators.Diagnostics.LocationInfo at) => new ConstantExpr(0, at);

        private static Expr One(Dsl.Generators.Diagnostics.LocationInfo at) => new ConstantExpr(1, at);

        private static Expr Negate(Expr e) => e switch
        {
            ConstantExpr c => new ConstantExpr(-c.Value, c.Location),
            NegateExpr n => n.Operand,
            _ => new NegateExpr(e, e.Location),
        };

        public static Expr Add(Expr a, Expr b) =>
            IsZero(a) ? b : IsZero(b) ? a : Fold(a, b, '+') ?? new BinaryExpr('+', a, b, a.Location);

        public static Expr Subtract(Expr a, Expr b) =>
            IsZero(b) ? a : IsZero(a) ? Negate(b) : Fold(a, b, '-') ?? new BinaryExpr('-', a, b, a.Location);

        public static Expr Multiply(Expr a, Expr b) =>
            IsZero(a) || IsZero(b) ? Zero(a.Location) : IsOne(a) ? b : IsOne(b) ? a : Fold(a, b, '*') ?? new BinaryExpr('*', a, b, a.Location);

        private static Expr Exp(Expr a) => new FunctionExpr("Exp", Helpers.EquatableArray.Of(a), a.Location);

        public static Expr Divide(Expr a, Expr b) =>
            IsZero(a) ? a : IsOne(b) ? a : Fold(a, b, '/') ?? new BinaryExpr('/', a, b, a.Location);

        private static Expr? Fold(Expr a, Expr b, char op) => (a, b) switch
        {
            (ConstantExpr x, ConstantExpr y) => new ConstantExpr(op switch
            {
                '+' => x.Value + y.Value,
                '-' => x.Value - y.Value,
                '*' => x.Value * y.Value,
                _ => x.Value / y.Value,
            }, a.Location),
            _ => null,
        };
    }
}
