using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation.Conjugacy
{
    /// <summary>
    /// How a model of latents is sampled by exact Gibbs: one update per latent, in declaration order, each drawing every
    /// entry of the latent from its full conditional given the current values of the rest. Value-equal, so the
    /// incremental generator can cache it.
    /// </summary>
    /// <param name="Enumerated">finite discrete latents, each entry drawn from its values' weights (each sweep draws these first)</param>
    /// <param name="Switches">binary switches in a multinomial's normalised weights, a row at a time with a running sum (then these)</param>
    /// <param name="Blocks">Normal latents whose coefficients in a linear predictor are drawn jointly (then these)</param>
    /// <param name="Slices">scalar latents no entry covers, slice-sampled from their full conditionals (last)</param>
    public sealed record ConjugatePlan(EquatableArray<EnumeratedUpdate> Enumerated, EquatableArray<SwitchUpdate> Switches, EquatableArray<NormalBlock> Blocks,
        EquatableArray<ConjugateUpdate> Updates, EquatableArray<SliceUpdate> Slices)
    {
        /// <summary>Whether a sweep takes steps other than closed-form draws (Pólya-Gamma auxiliaries, allocation splits, slice steps).</summary>
        public bool Mixed => Slices.Count > 0 || Blocks.Any(b => b.Children.Any(c => c.Augment is not null)) || Updates.Any(u => u.Children.Any(c => c.Augment is not null || c.Split is not null));
    }

    /// <summary>A scalar latent slice-sampled on its unconstrained scale (<see cref="SliceEntry"/>), and the children its conditional sums over.</summary>
    public sealed record SliceUpdate(SampledLatent Latent, EquatableArray<string> Children);

    /// <summary>
    /// Finite discrete latents by enumeration. Prior z ~ Categorical(p) over a plate (or Bernoulli(p)); its observed
    /// children read it at their own entry: p(z = v | rest) ∝ p(z = v) Π_children p(child | z = v), computed for every
    /// value v of each entry and drawn from. A plate-valued z may index other nodes (a mixture's allocations, with
    /// y(n) ~ Normal(mu(z(n)), sigma)), whose own updates then read it at its current value.
    /// </summary>
    public sealed record EnumeratedUpdate(string Latent, EquatableArray<string> Children);

    /// <summary>
    /// Binary switches of a multinomial's entries (<see cref="SwitchEntry"/>): <see cref="Latent"/> switches entry
    /// <see cref="Element"/> of <see cref="Child"/>, weighted by <see cref="Weight"/> (in the switch's index variables);
    /// its prior's logit is <see cref="Logit"/>, or, where the prior gives p otherwise, log(p / (1 − p)) of <see cref="Probability"/>.
    /// </summary>
    public sealed record SwitchUpdate(string Latent, string Child, string Element, Expr Weight, Expr? Logit, Expr Probability);

    /// <summary>The family of a full conditional, drawn from its two accumulated parameters.</summary>
    public enum ConjugateFamily
    {
        /// <summary>Normal in natural parameters: precision P and precision-weighted mean h, drawn as h/P + z/√P.</summary>
        Normal,
        /// <summary>Gamma(shape, rate).</summary>
        Gamma,
        /// <summary>InverseGamma(shape, scale).</summary>
        InverseGamma,
        /// <summary>Beta(a, b).</summary>
        Beta,
        /// <summary>Dirichlet along the prior's plate: one concentration per entry, no second parameter.</summary>
        Dirichlet,
    }

    /// <summary>
    /// One latent's exact update. Per entry of the latent the conditional is <see cref="Family"/> with parameters
    /// (<see cref="First"/> + Σ first statistics, <see cref="Second"/> + Σ second statistics): the prior's contribution
    /// read at the latent's own indices, plus each child entry's statistics added at the entry of the latent it reads.
    /// </summary>
    /// <param name="Entry">the catalogue entry that matched, as its doc comment names it</param>
    /// <param name="Conditional">the full conditional in words, for the generated comment</param>
    /// <param name="Over">a Dirichlet's vector index (the latent's index variable it is a simplex along)</param>
    public sealed record ConjugateUpdate(
        string Latent, string Entry, string Conditional, ConjugateFamily Family, Expr First, Expr? Second, string? Over, EquatableArray<ChildStatistics> Children);

    /// <summary>
    /// One child's contribution: at each of its entries, <see cref="First"/> and <see cref="Second"/> (over the child's
    /// index variables, its own value read as a call at them) are added at the latent's entry <see cref="Read"/>.
    /// </summary>
    /// <param name="Augment">the auxiliary variable the statistics read (a Pólya-Gamma ω or a probit utility), drawn per child entry first (null: none)</param>
    /// <param name="Split">the allocation of each child entry's count over a sum's terms, drawn per entry first; the
    /// statistics are then added per term k, reading its count y_k (null: none)</param>
    public sealed record ChildStatistics(string Child, NodeCallExpr Read, Expr First, Expr? Second, Augmentation? Augment = null, AllocationSplit? Split = null);

    public enum AugmentationKind
    {
        /// <summary>
        /// Pólya-Gamma augmentation (Polson, Scott and Windle 2013) of a child with a logit link, y ~ Binomial(n,
        /// logit: ψ) (a Bernoulli is n = 1): p(y | ψ) ∝ e^{κψ} ∫ e^{−ωψ²/2} PG(ω; n, 0) dω with κ = y − n/2, so given
        /// ω ~ PG(n, ψ) drawn at the current ψ, the child is a Normal pseudo-observation κ/ω of ψ with precision ω.
        /// </summary>
        PolyaGamma,

        /// <summary>
        /// Latent-utility augmentation (Albert and Chib 1993) of a Bernoulli with a probit link, y ~ Bernoulli(p: Φ(η)):
        /// y = 1 exactly when u &gt; 0 for u ~ Normal(η, 1), so given u drawn from that Normal truncated to y's side of
        /// zero, the child is a Normal observation u of η with precision 1. A Binomial(n, p: Φ(η)) is n such trials, y
        /// of them above zero: given their mean ū, a Normal observation of η with precision n.
        /// </summary>
        LatentUtility,
    }

    /// <summary>
    /// An auxiliary variable that makes a Bernoulli or Binomial child Normal in its predictor: drawn once per child
    /// entry at the current <see cref="Predictor"/> (a logit or a probit's η), and read by the statistics as the bound
    /// variable <see cref="Variable"/>. <see cref="Response"/> is the child's own value (a probit utility's side).
    /// </summary>
    public sealed record Augmentation(AugmentationKind Kind, Expr Trials, Expr Predictor, Expr Response)
    {
        public string Variable => Kind == AugmentationKind.PolyaGamma ? "ldOmega" : "ldUtility";
    }

    /// <summary>
    /// Normal latents drawn jointly: the coefficients of one linear predictor (several latents in one Normal child's
    /// mean, or a vector latent read inside a Sum over its plate). Their coordinates are every entry of each member in
    /// turn; the conditional is Normal with precision Λ = diag(1/s²) + Σ b bᵀ/σ² and shift h = m/s² + Σ b (y − a)/σ².
    /// </summary>
    public sealed record NormalBlock(EquatableArray<BlockMember> Members, EquatableArray<BlockChild> Children);

    /// <summary>A member of a block and its prior's mean and precision at its own indices.</summary>
    public sealed record BlockMember(string Latent, Expr Mean, Expr Precision);

    /// <summary>
    /// A Normal (or log-normal, or Pólya-Gamma-augmented logit) child of a block: its value y (or log y, or κ/ω), the
    /// part a of its mean free of the block, its precision 1/σ² (or ω), and the terms that read the block's coordinates.
    /// </summary>
    public sealed record BlockChild(string Child, Expr Value, Expr Free, Expr Precision, EquatableArray<BlockTerm> Terms, Augmentation? Augment = null);

    /// <summary>
    /// One term of a child's mean: <see cref="Coefficient"/> times the coordinate <see cref="Read"/>, or, with
    /// <see cref="Over"/>, the sum over that plate variable of such products (a design row times a coefficient vector).
    /// </summary>
    public sealed record BlockTerm(NodeCallExpr Read, Expr Coefficient, IndexDecl? Over);
}
