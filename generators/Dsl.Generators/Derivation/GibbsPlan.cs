using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// How a model is fitted by Gibbs-EM: one sampling block per rule that applied, and one M-step update per
    /// parameter. Value-equal, so the incremental generator can cache it.
    /// </summary>
    public sealed record GibbsPlan(
        EquatableArray<AllocationBlock> Allocations,
        EquatableArray<LogisticBlock> Logistics,
        EquatableArray<CrossedBlock> Crossed,
        EquatableArray<ClosedFormUpdate> ClosedForms,
        EquatableArray<GradientUpdate> Gradients,
        EquatableArray<string> Observed);

    /// <summary>
    /// Rule "Dirichlet mixing weights with allocation augmentation" (URSM eq 3.1-3.3): latent w(k, r) ~ Dirichlet over
    /// k, one observed multinomial x(i, r) over i with p = Sum(k => profile(i, k) * w(k, r)).
    /// </summary>
    public sealed record AllocationBlock(
        int Id,
        string Latent,
        IndexDecl Mixture,
        IndexDecl Replicate,
        string Observed,
        IndexDecl Element,
        Expr Profile,
        Expr Concentration,
        int Line)
    {
        /// <summary>Whether the concentration reads the replicate (a covariate of each bulk sample): one Dirichlet per replicate in the M-step's term.</summary>
        public bool ConcentrationPerReplicate => ExprTools.UsesIndex(Concentration, Replicate.Variable);
    }

    /// <summary>
    /// Rule "Polya-Gamma augmentation of a logistic-link Bernoulli" (URSM eq 3.4-3.5): response y(e, r) with logit
    /// sum_o offset_o + sum_c coefficient_c * beta_c(r), Normal priors on the betas, offsets the terms free of latents, optionally followed by the enumeration of a latent
    /// response (rule "binary latent over its Markov blanket" through a normalised-weight multinomial child).
    /// With a <see cref="Probability"/> the link is anything else (a complementary log-log, say): no augmentation
    /// applies, each slot's latent is slice-sampled from its prior times the response's Bernoulli terms in its
    /// replicate, its coefficient unused, and the enumeration reads the prior log-odds log p - log(1 - p).
    /// </summary>
    public sealed record LogisticBlock(
        int Id,
        string Response,
        bool ResponseIsLatent,
        IndexDecl? Replicate,
        IndexDecl Element,
        EquatableArray<CoefficientSlot> Slots,
        EquatableArray<Expr> Offsets,
        NormalisedWeightChild? Child,
        Expr? Probability,
        int Line);

    /// <summary>
    /// Rule "crossed Pólya-Gamma coefficient": a Normal latent in a logistic Bernoulli's linear predictor that the
    /// primary block's replicates do not own (a gene effect beside per-cell coefficients, an intercept shared by all
    /// cells, a per-type effect read through each cell's type). Its term is one of the primary block's offsets, read at
    /// its current draw; after the primary block it is drawn, one entry of it at a time (once for a scalar), from its
    /// prior times the Bernoulli terms of every response entry that reads it, each through its own Pólya-Gamma variable
    /// (Runtime/Inference/Rules/CrossedCoefficient). <see cref="Read"/> is the read in the response's index variables
    /// (geneEffect(i), b0(), kappaType(G(l))); <see cref="Coefficient"/> its covariate there; the prior's mean and sd
    /// are in the latent's own index variables; <see cref="Logit"/> is the whole predictor.
    /// </summary>
    public sealed record CrossedBlock(int Id, string Latent, LogisticBlock Primary, NodeCallExpr Read, Expr Coefficient, Expr PriorMean, Expr PriorSd, Expr Logit, int Line);

    /// <summary>One latent coefficient (or a vector of them, when it sits inside a Sum over <see cref="Over"/>).</summary>
    public sealed record CoefficientSlot(string Latent, Expr Coefficient, Expr PriorMean, Expr PriorSd, IndexDecl? Over, Expr LatentCall);

    /// <summary>y(., r) ~ Multinomial over the element plate with p_e = weight(e) * s(e) / Sum(n => weight(n) * s(n)).</summary>
    public sealed record NormalisedWeightChild(string Observed, Expr Weight);

    public enum ClosedFormKind
    {
        Mean,
        Variance,
    }

    /// <summary>Rule "Normal hyperparameters in closed form" (URSM eq 3.6): a scalar parameter that is the mean or variance of a Normal latent.</summary>
    public sealed record ClosedFormUpdate(string Parameter, ClosedFormKind Kind, string Latent, string? MeanParameter, int Line);

    public enum GradientTermKind
    {
        /// <summary>sum E[z] log P: a profile inside an allocation block.</summary>
        AllocationProfile,
        /// <summary>The log-density of the Dirichlet whose concentration is an expression of P (<see cref="GradientTerm.Within"/>), differentiated symbolically.</summary>
        DirichletConcentration,
        /// <summary>E[(y - 1/2) psi - omega psi^2 / 2] with psi affine in g, an expression of P (<see cref="GradientTerm.Within"/>) differentiated symbolically: a covariate or an offset term of a Polya-Gamma block.</summary>
        PolyaGammaCoefficient,
        /// <summary>sum y log w - R log sum w s, w the weight of a normalised-weight multinomial, an expression of P (<see cref="GradientTerm.Within"/>) differentiated symbolically.</summary>
        NormalisedWeight,
        /// <summary>E[y log p + (1 - y) log(1 - p)] over the recorded draws, p a block's probability read at P.</summary>
        BinaryLikelihood,
        /// <summary>E[log prior(latent | P)] over the recorded draws of a slice-sampled latent (<see cref="GradientTerm.Latent"/>).</summary>
        LatentPrior,
        /// <summary>E[log prior(latent | P)] over the recorded draws of a crossed coefficient; <see cref="GradientTerm.Block"/> is the crossed block.</summary>
        CrossedPrior,
        /// <summary>log prior of a [Param] (<see cref="GradientTerm.Latent"/> names it) at the current values: in its own objective and in those of the parameters its arguments read.</summary>
        ParameterPrior,
    }

    /// <summary>
    /// One term of the expected complete log-likelihood that depends on a parameter, and where P is read: at
    /// <see cref="Access"/>, inside <see cref="Within"/> where the term takes an expression of P (a concentration
    /// alpha(k)·s or Exp(logAlpha(k)), a multinomial weight A(i, k)·efficiency(i), a logit's term Log(A(i, k)); null where P stands alone).
    /// </summary>
    public sealed record GradientTerm(GradientTermKind Kind, int Block, NodeCallExpr Access, string? Latent = null, Expr? Within = null);

    /// <summary>
    /// Rule "projected gradient ascent" (URSM eq 3.7-3.9): the parameter's terms, differentiated by the rule of each
    /// term, and its feasible set (a simplex along one index, or a floor).
    /// </summary>
    public sealed record GradientUpdate(string Parameter, EquatableArray<IndexDecl> Indices, int SimplexPosition, double Floor, EquatableArray<GradientTerm> Terms, int Line);
}
