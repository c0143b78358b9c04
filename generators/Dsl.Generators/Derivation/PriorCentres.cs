using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// A proper continuous prior's centre (where a sampled latent starts: inside the support, where the prior has mass)
    /// and scale (a slice sampler's first width), as expressions of its arguments in the catalogue's order. Null for a
    /// prior the slice rule does not take: improper ones, whose centre is undefined, and Uniform, whose support its
    /// arguments set.
    /// </summary>
    internal static class PriorCentres
    {
        public static (Expr Centre, Expr Scale)? Of(string distribution, System.Collections.Generic.IReadOnlyList<Expr> a, LocationInfo at)
        {
            Expr C(double v) => new ConstantExpr(v, at);
            Expr Div(Expr x, Expr y) => new BinaryExpr('/', x, y, at);
            Expr Mul(Expr x, Expr y) => new BinaryExpr('*', x, y, at);
            Expr Add(Expr x, Expr y) => new BinaryExpr('+', x, y, at);
            Expr Exp(Expr x) => new FunctionExpr("Exp", Helpers.EquatableArray.Of(x), at);
            Expr Sqrt(Expr x) => new FunctionExpr("Sqrt", Helpers.EquatableArray.Of(x), at);
            return distribution switch
            {
                "Normal" => (a[0], a[1]),
                "StudentT" => (a[1], a[2]),
                "Cauchy" => (a[0], a[1]),
                "HalfNormal" => (a[0], a[0]),
                "HalfCauchy" => (a[0], a[0]),
                "HalfStudentT" => (a[1], a[1]),
                "LogNormal" => (Exp(a[0]), Mul(Exp(a[0]), a[1])),
                "Gamma" => (Div(a[0], a[1]), Div(Sqrt(a[0]), a[1])),
                "Exponential" => (Div(C(1), a[0]), Div(C(1), a[0])),
                // The mode: the mean is infinite for shape <= 1.
                "InverseGamma" => (Div(a[1], Add(a[0], C(1))), Div(a[1], Add(a[0], C(1)))),
                "Beta" => (Div(a[0], Add(a[0], a[1])), C(0.2)),
                _ => null,
            };
        }
    }
}
