using System;
using System.Collections.Generic;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using static Dsl.Generators.Derivation.Differentiation;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// A child seen as a Normal observation of its location: <see cref="Value"/> ~ Normal(<see cref="Mean"/>,
    /// 1/√<see cref="Precision"/>), given <see cref="Augment"/>'s variable where it has one; <see cref="Argument"/> is the
    /// distribution argument that holds the location.
    /// </summary>
    internal sealed record GaussianView(Expr Value, Expr Mean, Expr Precision, Augmentation? Augment, string Argument);

    /// <summary>The small expressions the catalogue entries build their statistics from, folded as they are built.</summary>
    internal static class Statistics
    {
        /// <summary>
        /// Every child's statistics by an entry's rule, or null with the first child the rule refuses: "child 'y' reads
        /// it in the 'p' of a Dist.Poisson, not as {expected}".
        /// </summary>
        public static EquatableArray<ChildStatistics>? Collect(IReadOnlyList<ChildRead> reads, Func<ChildRead, ChildStatistics?> rule, string expected, out string? why)
        {
            why = null;
            var children = new List<ChildStatistics>();
            foreach (var read in reads)
            {
                if (rule(read) is not { } statistics)
                {
                    why = $"child '{read.Child.Name}' reads it in the '{read.Argument}' of a Dist.{read.Child.Declaration.Distribution!.Name}, not as {expected}";
                    return null;
                }
                children.Add(statistics);
            }
            return children.ToEquatableArray();
        }

        public static Expr Constant(double value, Expr anchor) => new ConstantExpr(value, anchor.Location);

        /// <summary>1/sd², read off the sd where it is written through a variance or a precision: Sqrt(v) gives 1/v, 1/Sqrt(λ) and Sqrt(1/λ) give λ.</summary>
        public static Expr Precision(Expr sd) => sd switch
        {
            FunctionExpr { Function: "Sqrt", Arguments: var root } when root[0] is BinaryExpr { Operator: '/', Left: ConstantExpr { Value: 1 } } inverse => inverse.Right,
            FunctionExpr { Function: "Sqrt", Arguments: var root } => Divide(Constant(1, sd), root[0]),
            BinaryExpr { Operator: '/', Left: ConstantExpr { Value: 1 }, Right: FunctionExpr { Function: "Sqrt" } root } => root.Arguments[0],
            _ => Divide(Constant(1, sd), Multiply(sd, sd)),
        };

        /// <summary>The expression rebuilt with constants folded and zeros and ones dropped (what is left of a mean once θ is set to 0).</summary>
        public static Expr Fold(Expr expr) => expr switch
        {
            BinaryExpr { Operator: '+' } b => Add(Fold(b.Left), Fold(b.Right)),
            BinaryExpr { Operator: '-' } b => Subtract(Fold(b.Left), Fold(b.Right)),
            BinaryExpr { Operator: '*' } b => Multiply(Fold(b.Left), Fold(b.Right)),
            BinaryExpr { Operator: '/' } b => Divide(Fold(b.Left), Fold(b.Right)),
            NegateExpr n when Fold(n.Operand) is var operand => operand is ConstantExpr c ? new ConstantExpr(-c.Value, c.Location) : n with { Operand = operand },
            _ => expr,
        };

        /// <summary>
        /// A Normal-family prior's mean m and precision 1/s²: Normal(m, s), or a flat (improper) prior on the real
        /// line as the limit s → ∞, precision 0 (the conditional is then the children's alone). Null for another family.
        /// </summary>
        public static (Expr Mean, Expr Precision)? NormalPrior(ModelSpec spec, NodeSpec latent) => latent.Declaration.Distribution!.Name switch
        {
            "Normal" => (ExprTools.Argument(latent, "mean", spec)!, Precision(ExprTools.Argument(latent, "sd", spec)!)),
            "Flat" => (new ConstantExpr(0, latent.Declaration.Location), new ConstantExpr(0, latent.Declaration.Location)),
            _ => null,
        };

        public static Expr Log(Expr value) => new FunctionExpr("Log", Helpers.EquatableArray.Of(value), value.Location);

        /// <summary>(y − μ)²/2.</summary>
        public static Expr HalfSquare(Expr value, Expr mean)
        {
            var residual = Subtract(value, mean);
            return Divide(Multiply(residual, residual), Constant(2, value));
        }

        /// <summary>The value a Normal or log-normal child is a Normal of: y, or log y.</summary>
        public static Expr NormalValue(ChildRead read) =>
            read.Child.Declaration.Distribution!.Name == "LogNormal" ? Log(read.Own) : read.Own;

        /// <summary>A Normal or log-normal child's location and scale arguments (null for another family).</summary>
        public static (Expr Mean, Expr Sd)? NormalArguments(ModelSpec spec, ChildRead read) => NormalArguments(spec, read.Child);

        /// <summary>A Normal or log-normal node's location and scale, by their names (null for another family).</summary>
        public static (Expr Mean, Expr Sd)? NormalArguments(ModelSpec spec, NodeSpec node) => node.Declaration.Distribution?.Name switch
        {
            "Normal" => (ExprTools.Argument(node, "mean", spec)!, ExprTools.Argument(node, "sd", spec)!),
            "LogNormal" => (ExprTools.Argument(node, "logMean", spec)!, ExprTools.Argument(node, "logSd", spec)!),
            _ => null,
        };

        /// <summary>
        /// A child as a Normal observation of its location: y ~ Normal(μ, σ) is (y, μ, 1/σ²); a log-normal is (log y, μ,
        /// 1/σ²); a Bernoulli or Binomial with a logit ψ is, given its Pólya-Gamma variable ω, (κ/ω, ψ, ω) with
        /// κ = y − n/2; a Bernoulli or Binomial with p: Phi(η) is, given the mean ū of its n latent utilities, (ū, η, n)
        /// (<see cref="Augmentation"/>).
        /// Null for another family.
        /// </summary>
        public static GaussianView? Gaussian(ModelSpec spec, NodeSpec node)
        {
            var own = ExprTools.OwnCall(node);
            if (NormalArguments(spec, node) is var (mean, sd))
                return new GaussianView(node.Declaration.Distribution!.Name == "LogNormal" ? Log(own) : own, mean, Precision(sd), null, LocationArgument(node));
            if (node.Declaration.Distribution is not { Name: "Bernoulli" or "Binomial" } d) return null;
            var trials = d.Name == "Binomial" ? ExprTools.Argument(node, "trials", spec)! : Constant(1, own);
            if (ExprTools.Argument(node, "p", spec) is FunctionExpr { Function: "Phi" } probit)
            {
                // n unit-precision utilities, whose mean is sufficient: one observation of η with precision n.
                var utility = new Augmentation(AugmentationKind.LatentUtility, trials, probit.Arguments[0], own);
                return new GaussianView(new IndexExpr(utility.Variable, own.Location), utility.Predictor, trials, utility, "p");
            }
            if (Logit(spec, node) is not var (logit, argument)) return null;
            var augment = new Augmentation(AugmentationKind.PolyaGamma, trials, logit, own);
            var omega = new IndexExpr(augment.Variable, own.Location);
            var kappa = Subtract(own, Divide(trials, Constant(2, own)));
            return new GaussianView(Divide(kappa, omega), logit, omega, augment, argument);
        }

        /// <summary>
        /// A Bernoulli's or Binomial's logit and the argument it is written in: its logit, or ψ where its probability p is
        /// written Logistic(ψ) (the same density); null for a probability written otherwise.
        /// </summary>
        public static (Expr Logit, string Argument)? Logit(ModelSpec spec, NodeSpec node) =>
            ExprTools.Argument(node, "logit", spec) is { } logit ? (logit, "logit")
            : ExprTools.Argument(node, "p", spec) is FunctionExpr { Function: "Logistic" } probability ? (probability.Arguments[0], "p")
            : null;

        private static string LocationArgument(NodeSpec node) => node.Declaration.Distribution!.Name == "LogNormal" ? "logMean" : "mean";

        /// <summary>Whether the child's scale is the argument that reads the latent.</summary>
        public static bool ReadsScale(ChildRead read) => read.Argument is "sd" or "logSd";
    }
}
