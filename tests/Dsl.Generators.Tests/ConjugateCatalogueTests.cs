using Dsl.Generators.Derivation;
using Dsl.Generators.Derivation.Conjugacy;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Tests;

/// <summary>
/// The catalogue of exact updates matched against declarations by structure: which entry claims each latent, which
/// latents are drawn jointly, and the reason a latent gets none (the model is then left to NUTS).
/// </summary>
public sealed class ConjugateCatalogueTests
{
    private static ModelSpec Spec(string members) => ModelPipeline.RunOnSource($$"""
        using Dsl;
        using static Dsl.Fn;
        namespace T;
        [PlateModel]
        public partial class M
        {
            [Plate] public partial struct Obs { }
            [Plate] public partial struct Group { }
            [Plate] public partial struct Feature { }
            [Data] public partial Group g(Obs n);
            [Data] public partial double x(Obs n, Feature k);
            [Data] public partial double e(Obs n);
            [Data] public partial int trials(Obs n);
            {{members}}
        }
        """, "M.cs").Single().Spec!;

    private static (ConjugatePlan? Plan, string? Why) Plan(string members)
    {
        var plan = ConjugatePlanner.Plan(Spec(members), out var why);
        return (plan, why);
    }

    [Fact]
    public void EachLatent_IsClaimedByTheEntryOfItsPriorsFamily_ThroughItsChildren()
    {
        var (plan, why) = Plan("""
            [Latent] public double mu() => Dist.Normal(0, 3);
            [Latent] public double tau() => Dist.Gamma(2, 1);
            [Latent] public double theta(Group j) => Dist.Normal(mu(), 1 / Sqrt(tau()));
            [Latent] public double v() => Dist.InverseGamma(2, 1);
            [Observed] public double y(Obs n) => Dist.Normal(theta(g(n)), Sqrt(v()));
            [Latent] public double rate() => Dist.Exponential(1);
            [Observed] public int c(Obs n) => Dist.Poisson(e(n) * rate());
            [Latent] public double p(Group j) => Dist.Beta(1, 1);
            [Observed] public int s(Obs n) => Dist.Binomial(trials(n), p: p(g(n)));
            """);
        Assert.True(plan is not null, why);
        var entries = plan!.Updates.ToDictionary(u => u.Latent, u => u.Entry);
        Assert.Equal("Normal–Normal", entries["mu"]);
        Assert.Equal("Gamma rate or precision", entries["tau"]);
        Assert.Equal("Normal–Normal", entries["theta"]);
        Assert.Equal("Normal variance", entries["v"]);
        Assert.Equal("Exponential prior as Gamma(1, β)", entries["rate"]);
        Assert.Equal("Beta–Binomial", entries["p"]);
        Assert.Empty(plan.Blocks);
        // theta(g(n)) is read through a data index: each observation adds its statistics at its group's entry.
        Assert.Equal("theta(g(n))", Emit.ExprPrinter.Print(plan.Updates.Single(u => u.Latent == "theta").Children.Single().Read));
    }

    /// <summary>The child's arguments are named out of order: the entries read them by name.</summary>
    [Fact]
    public void TheCoefficientsOfOneLinearPredictor_AreDrawnJointly_AndARandomEffectBesideThemIsNot()
    {
        var (plan, why) = Plan("""
            [Latent] public double intercept() => Dist.Normal(0, 3);
            [Latent] public double slope(Feature k) => Dist.Normal(0, 3);
            [Latent] public double effect(Group j) => Dist.Normal(0, 1);
            [Observed] public double y(Obs n) => Dist.Normal(sd: 2, mean: intercept() + Sum((Feature k) => x(n, k) * slope(k)) - effect(g(n)));
            """);
        Assert.True(plan is not null, why);
        var block = Assert.Single(plan!.Blocks);
        Assert.Equal(["intercept", "slope"], block.Members.Select(m => m.Latent));
        var child = Assert.Single(block.Children);
        Assert.Equal("-effect(g(n))", Emit.ExprPrinter.Print(child.Free).Replace(" ", ""));
        Assert.Equal("effect", Assert.Single(plan.Updates).Latent);
    }

    /// <summary>A logit is a Normal location once each response's Pólya-Gamma variable is drawn: a block and a single-site effect both take it.</summary>
    [Fact]
    public void LogitChildren_AreNormalPseudoObservations_ThroughTheirPolyaGammaVariables()
    {
        var (plan, why) = Plan("""
            [Latent] public double intercept() => Dist.Normal(0, 3);
            [Latent] public double slope(Feature k) => Dist.Normal(0, 3);
            [Latent] public double effect(Group j) => Dist.Normal(0, 1);
            [Observed] public int y(Obs n) => Dist.Binomial(trials(n), logit: intercept() + Sum((Feature k) => x(n, k) * slope(k)) + effect(g(n)));
            """);
        Assert.True(plan is not null, why);
        var child = Assert.Single(Assert.Single(plan!.Blocks).Children);
        // κ/ω with κ = y − n/2, precision ω, and ω drawn at the whole logit.
        Assert.Equal("(y(n) - trials(n) / 2) / ldOmega", Emit.ExprPrinter.Print(child.Value));
        Assert.Equal("ldOmega", Emit.ExprPrinter.Print(child.Precision));
        Assert.Equal("trials(n)", Emit.ExprPrinter.Print(child.Augment!.Trials));
        Assert.Contains("effect(g(n))", Emit.ExprPrinter.Print(child.Augment.Predictor));
        var effect = Assert.Single(plan.Updates);
        Assert.Equal("effect", effect.Latent);
        Assert.NotNull(Assert.Single(effect.Children).Augment);
    }

    /// <summary>
    /// A probit Bernoulli, p: Phi(η), is a Normal observation of η with precision 1 given its latent utility u, drawn
    /// at the whole η (Albert and Chib): the same block and the same group effect's update as the logit's.
    /// </summary>
    [Fact]
    public void AProbitBernoulli_IsALatentUtilityOfItsPredictor()
    {
        var (plan, why) = Plan("""
            [Latent] public double intercept() => Dist.Normal(0, 3);
            [Latent] public double slope(Feature k) => Dist.Normal(0, 3);
            [Latent] public double effect(Group j) => Dist.Normal(0, 1);
            [Observed] public int y(Obs n) => Dist.Bernoulli(p: Phi(intercept() + Sum((Feature k) => x(n, k) * slope(k)) + effect(g(n))));
            """);
        Assert.True(plan is not null, why);
        var child = Assert.Single(Assert.Single(plan!.Blocks).Children);
        Assert.Equal("ldUtility", Emit.ExprPrinter.Print(child.Value));
        Assert.Equal("1", Emit.ExprPrinter.Print(child.Precision));
        Assert.Equal(AugmentationKind.LatentUtility, child.Augment!.Kind);
        Assert.Equal("y(n)", Emit.ExprPrinter.Print(child.Augment.Response));
        Assert.Contains("effect(g(n))", Emit.ExprPrinter.Print(child.Augment.Predictor));
        Assert.Equal(AugmentationKind.LatentUtility, Assert.Single(Assert.Single(plan.Updates).Children).Augment!.Kind);
    }

    /// <summary>A scalar no entry covers is slice-sampled beside exact updates; alone, it leaves the model to NUTS (the next theory's first row).</summary>
    [Fact]
    public void AScalarWithoutAnEntry_IsASliceStep_BesideExactUpdates()
    {
        var (plan, why) = Plan("""
            [Latent] public double scale() => Dist.HalfCauchy(2);
            [Latent] public double theta(Group j) => Dist.Normal(0, scale());
            [Observed] public double y(Obs n) => Dist.Normal(theta(g(n)), 1);
            """);
        Assert.True(plan is not null, why);
        Assert.Equal("theta", Assert.Single(plan!.Updates).Latent);
        var slice = Assert.Single(plan.Slices);
        Assert.Equal(("scale", LatentTransform.Log), (slice.Latent.Node, slice.Latent.Transform));
        Assert.Equal(["theta"], slice.Children);
        Assert.True(plan.Mixed);
    }

    [Fact]
    public void ACountReadThroughASumOfProducts_IsSplitOverItsTerms_ForEveryFactorItReads()
    {
        var (plan, why) = Plan("""
            [Latent] public double w(Feature k) => Dist.Gamma(1, 1);
            [Latent] public double h(Obs n, Feature k) => Dist.Gamma(2, 1);
            [Observed] public int y(Obs n) => Dist.Poisson(e(n) * Sum((Feature k) => w(k) * h(n, k)));
            """);
        Assert.True(plan is not null, why);
        foreach (var update in plan!.Updates)
        {
            var child = Assert.Single(update.Children);
            Assert.NotNull(child.Split);
            Assert.Equal("Feature", child.Split!.Over.Plate);
            // The split's term keeps the factor outside the sum; each Gamma's pseudo-count is its allocated count, its
            // exposure the term's other factors.
            Assert.Equal("e(n) * w(k) * h(n, k)", Emit.ExprPrinter.Print(child.Split.Term));
            Assert.Equal(AllocationSplit.Variable, Emit.ExprPrinter.Print(child.First));
        }
        Assert.Equal("e(n) * h(n, k)", Emit.ExprPrinter.Print(plan.Updates.Single(u => u.Latent == "w").Children[0].Second!));
        Assert.True(plan.Mixed);
    }

    [Theory]
    [InlineData("[Latent] public double s() => Dist.HalfNormal(1); [Observed] public double y(Obs n) => Dist.Normal(0, s());", "'s': no exact update for a Dist.HalfNormal prior")]
    [InlineData("[Latent] public double m() => Dist.Normal(0, 1); [Observed] public double y(Obs n) => Dist.Normal(Exp(m()), 1);", "'m': child 'y' reads it in the 'mean' of a Dist.Normal, not as a location affine in it")]
    [InlineData("[Latent] public double q() => Dist.Beta(1, 1); [Observed] public int y(Obs n) => Dist.Bernoulli(logit: q());", "'q': child 'y' reads it in the 'logit' of a Dist.Bernoulli")]
    [InlineData("[Latent] public double a(Group j) => Dist.Normal(0, 1); [Observed] public double y(Obs n) => Dist.Normal(a(g(n)) - a(new Group(0)), 1);", "'a': child 'y' reads more than one entry of it")]
    [InlineData("[Latent] public double r() => Dist.Gamma(1, 1); [Observed] public int y(Obs n) => Dist.Poisson(r() + e(n));", "'r': child 'y' reads it in the 'rate' of a Dist.Poisson, not as a rate e·r")]
    [InlineData("[Param] public partial double m(); [Observed] public double y(Obs n) => Dist.Normal(m(), 1);", "'m' is a parameter")]
    // Allocation splits: a sum in a Normal mean couples its terms; a multinomial over a sum of simplexes that do not sum to one; a Dirichlet read through a Poisson's split.
    [InlineData("[Latent] public double b(Feature k) => Dist.Gamma(1, 1); [Observed] public double y(Obs n) => Dist.Normal(Sum((Feature k) => x(n, k) * b(k)), 1);", "'b': child 'y' reads it inside a sum over a plate, which only a Poisson's rate or a Multinomial's probabilities split")]
    [InlineData("[Latent] public double w(Feature k) => Dist.Dirichlet(over: k, 1); [Observed] public int y(Obs n, Group j) => Dist.Multinomial(over: j, Sum((Feature k) => w(k) * e(n)));", "'w': child 'y': its probabilities are a sum over Feature that is not a simplex along its own plate times a simplex along Feature")]
    [InlineData("[Latent] public double w(Feature k) => Dist.Dirichlet(over: k, 1); [Observed] public int y(Obs n) => Dist.Poisson(Sum((Feature k) => w(k) * x(n, k)));", "'w': child 'y' reads it in the 'rate' of a Dist.Poisson, not as the probabilities")]
    [InlineData("[Latent] public double q() => Dist.Uniform(0, 2); [Observed] public int y(Obs n) => Dist.Bernoulli(p: q() / 2);", "'q': a Uniform prior has an exact update only on (0, 1), as Beta(1, 1)")]
    public void ALatentWithoutAnEntry_LeavesTheModelToNuts_WithTheReason(string members, string reason)
    {
        var (plan, why) = Plan(members);
        Assert.Null(plan);
        Assert.StartsWith(reason, why);
    }
}
