using System.Collections.Generic;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Gamma–Poisson, Gamma–Exponential, Gamma–Gamma and Normal precision. Prior λ ~ Gamma(α, β) (an Exponential(β)
    /// prior is Gamma(1, β)); each child contributes to the shape and the rate of λ | rest ~ Gamma(α + Σ a, β + Σ r):
    /// <list type="bullet">
    /// <item>y ~ Poisson(e·λ), an exposure e free of λ: a = y, r = e;</item>
    /// <item>y ~ Exponential(e·λ): a = 1, r = e·y;</item>
    /// <item>y ~ Gamma(k, e·λ), k free of λ: a = k, r = e·y;</item>
    /// <item>y ~ Normal(μ, 1/√λ), λ a precision (or a log-normal's log y): a = ½, r = (y − μ)²/2.</item>
    /// </list>
    /// </summary>
    internal static class GammaEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            var exponential = latent.Declaration.Distribution!.Name == "Exponential";
            var rate = ExprTools.Argument(latent, "rate", spec)!;
            var shape = exponential ? Constant(1, rate) : ExprTools.Argument(latent, "shape", spec)!;
            var children = Collect(reads, read => Child(spec, read),
                $"a rate e·{latent.Name} of a Poisson, Exponential or Gamma, nor as a precision, sd = 1/Sqrt({latent.Name}), of a Normal", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, exponential ? "Exponential prior as Gamma(1, β)" : "Gamma rate or precision", "Gamma(α + Σ a, β + Σ r)",
                ConjugateFamily.Gamma, shape, rate, null, children.Value);
        }

        private static ChildStatistics? Child(ModelSpec spec, ChildRead read)
        {
            var name = read.Child.Name;
            switch (read.Child.Declaration.Distribution!.Name, read.Argument)
            {
                case ("Poisson", "rate"):
                    return ExprTools.AffineCofactor(read.Value, read.Call.Node) is { } exposure ? new ChildStatistics(name, read.Call, read.Own, exposure) : null;
                case ("Exponential", "rate"):
                    return ExprTools.AffineCofactor(read.Value, read.Call.Node) is { } e ? new ChildStatistics(name, read.Call, Constant(1, read.Value), Multiply(e, read.Own)) : null;
                case ("Gamma", "rate"):
                    return ExprTools.AffineCofactor(read.Value, read.Call.Node) is { } f ? new ChildStatistics(name, read.Call, read.Other(spec, "shape")!, Multiply(f, read.Own)) : null;
            }
            if (NormalArguments(spec, read) is not var (mean, _) || !ReadsScale(read) || !IsPrecisionScale(read.Value, read.Call)) return null;
            return new ChildStatistics(name, read.Call, Constant(0.5, read.Value), HalfSquare(NormalValue(read), mean));
        }

        /// <summary>sd = 1/Sqrt(λ) or Sqrt(1/λ).</summary>
        private static bool IsPrecisionScale(Expr sd, NodeCallExpr call)
        {
            var one = new ConstantExpr(1, sd.Location);
            var root = new FunctionExpr("Sqrt", EquatableArray.Of<Expr>(call), sd.Location);
            return ExprTools.SameShape(sd, new BinaryExpr('/', one, root, sd.Location))
                || ExprTools.SameShape(sd, new FunctionExpr("Sqrt", EquatableArray.Of<Expr>(new BinaryExpr('/', one, call, sd.Location)), sd.Location));
        }
    }
}
