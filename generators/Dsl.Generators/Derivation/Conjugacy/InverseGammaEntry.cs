using System.Collections.Generic;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Conjugacy.Statistics;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// Normal variance. Prior v ~ InverseGamma(α, β); each child y ~ Normal(μ, Sqrt(v)) (or a log-normal's log y with
    /// log-sd Sqrt(v)), μ free of v: v | rest ~ InverseGamma(α + n/2, β + Σ (y − μ)²/2).
    /// </summary>
    internal static class InverseGammaEntry
    {
        public static ConjugateUpdate? Match(ModelSpec spec, NodeSpec latent, IReadOnlyList<ChildRead> reads, out string? why)
        {
            var children = Collect(reads, read =>
            {
                var root = new FunctionExpr("Sqrt", EquatableArray.Of<Expr>(read.Call), read.Value.Location);
                return NormalArguments(spec, read) is not var (mean, _) || !ReadsScale(read) || !ExprTools.SameShape(read.Value, root) ? null
                    : new ChildStatistics(read.Child.Name, read.Call, Constant(0.5, read.Value), HalfSquare(NormalValue(read), mean));
            }, $"a variance, sd = Sqrt({latent.Name}), of a Normal", out why);
            return children is null ? null : new ConjugateUpdate(latent.Name, "Normal variance", "InverseGamma(α + n/2, β + Σ (y − μ)²/2)", ConjugateFamily.InverseGamma,
                ExprTools.Argument(latent, "shape", spec)!, ExprTools.Argument(latent, "scale", spec)!, null, children.Value);
        }
    }
}
