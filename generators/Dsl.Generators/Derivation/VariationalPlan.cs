using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// What feeds a network or an encoder: an observed node's values (counts, optionally log1p, or continuous
    /// measurements), an encoded latent, a numeric covariate read from data as it is, or a category as one-hot.
    /// </summary>
    public enum InputKind
    {
        Observed,
        Latent,
        Covariate,
        Category,
    }

    /// <summary>
    /// One input of a network; <see cref="Plate"/> is its width plate (item plate, or the category's plate), null for
    /// width 1. <see cref="Counts"/>: an observed integer node, the only kind an encoder's Log1p transform applies to
    /// (a continuous measurement can be below −1, where log1p is undefined).
    /// </summary>
    public sealed record NetworkInput(string Node, InputKind Kind, string? Plate, bool Counts = false);

    /// <summary>
    /// A latent with an amortised encoder: q = Normal(mean, variance) from the encoder (on the log scale for a
    /// LogNormal prior), sampled by reparameterisation, with an analytic KL term against its prior. The prior's mean
    /// and sd may read parameters and global latents (a learned prior), with their partials in those.
    /// </summary>
    public sealed record EncodedLatent(
        string Node,
        bool LogScale,
        string? ItemPlate,
        Expr PriorMean,
        Expr PriorSd,
        EquatableArray<PartialDerivative> PriorMeanPartials,
        EquatableArray<PartialDerivative> PriorSdPartials,
        EquatableArray<NetworkInput> Inputs,
        NetworkDecl Encoder,
        int Line)
    {
        /// <summary>
        /// A prior other than Normal or LogNormal: the runtime's LogDensity kernel that scores the sample, and its
        /// arguments (data and constants), for a one-sample Monte Carlo KL; null for the analytic Normal KL.
        /// </summary>
        public string? PriorKernel { get; init; }

        public EquatableArray<Expr> PriorArguments { get; init; } = EquatableArray<Expr>.Empty;

        /// <summary>
        /// A Normal prior whose mean and sd read a Categorical latent of the cell (a mixture allocation): the allocation
        /// is summed out and the KL term is a one-sample Monte Carlo estimate; <see cref="PriorMean"/> and
        /// <see cref="PriorSd"/> are then component k's, the allocation read as <see cref="MixturePrior.Component"/>.
        /// </summary>
        public MixturePrior? Mixture { get; init; }
    }

    /// <summary>
    /// p(z_n) = Σ_k π_k Π_d Normal(z_nd; mean_k, sd_k): the allocation node summed out, its plate, the index variable
    /// that stands for its value in the prior's mean and sd, and π_k's declared form (a weight, normalised over the
    /// plate, or a logit, through a softmax) with its partials.
    /// </summary>
    public sealed record MixturePrior(string Allocation, string Plate, string Component, Expr Weight, bool WeightIsLogit, EquatableArray<PartialDerivative> WeightPartials);

    /// <summary>
    /// A network node: its inputs, architecture, the network whose hidden layers it uses (itself unless shared), and
    /// the network whose output layer it is (itself unless it shares another's weights outright, gimVI's one decoder
    /// applied to two cell plates).
    /// </summary>
    public sealed record NetworkNode(string Node, string ItemPlate, EquatableArray<NetworkInput> Inputs, NetworkDecl Architecture, string TrunkOwner, int Line)
    {
        public string WeightsOf { get; init; } = Node;
    }

    /// <summary>∂argument/∂target for one node element the argument reads.</summary>
    public sealed record PartialDerivative(NodeCallExpr Target, Expr Derivative);

    /// <summary>
    /// An argument's value with its partial derivatives. A Sum in it that does not depend on the row's item (a
    /// normaliser, e.g. Σ_h ρ(m, geneOf(h)) in gimVI's renormalised frequencies) is computed once per row as
    /// <see cref="RowSums"/>; <see cref="Value"/> reads it as a call of the row sum's name, and the partials include
    /// one with respect to it, which the row sum's own partials carry on to what its body reads.
    /// </summary>
    public sealed record LikelihoodArgument(string Name, Expr Value, EquatableArray<PartialDerivative> Partials)
    {
        public EquatableArray<RowSum> RowSums { get; init; } = EquatableArray<RowSum>.Empty;
    }

    /// <summary>A Sum computed once per row (see <see cref="LikelihoodArgument"/>), with ∂body/∂t for every element t its body reads.</summary>
    public sealed record RowSum(string Name, LambdaExpr Over, EquatableArray<PartialDerivative> Partials);

    /// <summary>How an observation's log density is computed.</summary>
    public enum LikelihoodKernel
    {
        /// <summary>The vectorised count row kernel of the family (Poisson, NB, ZINB), which scVI's speed rests on.</summary>
        CountRow,

        /// <summary>The runtime's scalar LogDensity method, entry by entry.</summary>
        Entry,

        /// <summary>
        /// A Categorical over its plate: one row of weights (or logits) per cell, the lambda's body evaluated across the
        /// category plate, and log p(y) = log w[y] − log Σ w (or logit[y] − log Σ exp logit).
        /// </summary>
        CategoryRow,

        /// <summary>
        /// A Multinomial or Dirichlet over the node's own item plate: the cell's whole row is one draw, its log density
        /// the runtime's LogDensity row kernel (generic over the number type), with the argument's partials per entry.
        /// </summary>
        VectorRow,
    }

    /// <summary>
    /// An observed node over the cell plate and its likelihood, evaluated row by row: across <see cref="ItemPlate"/>
    /// (the node's second plate, a Categorical's category plate, or null for one entry per cell) with loop variable
    /// <see cref="ItemVariable"/>; every argument with its partial derivatives, and the kernel that computes the log
    /// density (<see cref="KernelName"/>: the family for count rows, the LogDensity method for entries).
    /// </summary>
    public sealed record LikelihoodTerm(
        string Node, string? ItemPlate, string ItemVariable, string Family, LikelihoodKernel Kernel, string KernelName,
        EquatableArray<LikelihoodArgument> Arguments, int Line);

    /// <summary>
    /// A global parameter optimised by gradient: a positive one through its logarithm, a simplex one through a softmax
    /// along <see cref="Simplex"/> (its plate, the rows' length and the stride between a row's entries, row-major).
    /// With a <see cref="Prior"/>, the objective adds its log prior (a MAP estimate on the parameter's own scale).
    /// </summary>
    public sealed record FittedParameter(string Node, bool Positive, SimplexAxis? Simplex = null, ParameterPrior? Prior = null);

    /// <summary>
    /// The declared prior of a [Param]: the runtime kernel of its log density and every argument with its partials
    /// (arguments read constants, data, other parameters and global latents). The whole data set shares the term, so
    /// each row carries 1/Population of it, as of a global latent's KL.
    /// </summary>
    public sealed record ParameterPrior(string Kernel, EquatableArray<LikelihoodArgument> Arguments, int Line);

    /// <summary>The plate a simplex parameter's rows run along, and the plates after it (whose sizes make the stride between a row's entries).</summary>
    public sealed record SimplexAxis(string Plate, EquatableArray<string> After);

    /// <summary>
    /// A latent without an encoder, outside the cell plate (a per-gene random effect, a shared scale): ADVI's
    /// mean-field guide q(u) = Normal(m, exp(ω)²) per entry on the unconstrained scale u, x = transform(u), its
    /// prior's log density (runtime kernel <see cref="Kernel"/>) with partials in every argument, which may read other
    /// global latents.
    /// </summary>
    public sealed record GlobalLatent(string Node, LatentTransform Transform, string Kernel, EquatableArray<LikelihoodArgument> PriorArguments, int Line);

    /// <summary>
    /// Variational inference for a model, or for one cell plate of a model over several: minibatches over
    /// <see cref="BatchPlate"/>, the ELBO's terms and their gradients.
    /// </summary>
    public sealed record VariationalPlan(
        string BatchPlate,
        EquatableArray<EncodedLatent> Latents,
        EquatableArray<NetworkNode> Networks,
        EquatableArray<LikelihoodTerm> Likelihoods,
        EquatableArray<FittedParameter> Parameters,
        EquatableArray<GlobalLatent> Globals)
    {
        /// <summary>Whether this plans one part of a model over several cell plates (its parameters shared with the others').</summary>
        public bool IsPart { get; init; }

        /// <summary>The generated class: <c>Variational</c>, or <c>{Plate}Variational</c> for a part.</summary>
        public string ClassName => IsPart ? BatchPlate + "Variational" : "Variational";
    }

    /// <summary>
    /// Variational inference for a whole model: one plan per cell plate. Several parts share parameters and networks
    /// and are trained together, one minibatch of each per step (gimVI).
    /// </summary>
    public sealed record JointVariationalPlan(EquatableArray<VariationalPlan> Parts)
    {
        public EquatableArray<AdversarialGroup> Adversaries { get; init; } = EquatableArray<AdversarialGroup>.Empty;

        /// <summary>Gamma latents integrated out of their Poisson counts (<see cref="GammaPoissonCollapse"/>): no draw of them is made.</summary>
        public EquatableArray<string> IntegratedOut { get; init; } = EquatableArray<string>.Empty;
    }

    /// <summary>
    /// Encoded latents over different cell plates that a discriminator tells apart (gimVI eq 10), in part order, with
    /// the penalty's weight and the discriminator's architecture; <see cref="WidthPlate"/> is the latents' own plate.
    /// </summary>
    public sealed record AdversarialGroup(string Group, double Kappa, int Hidden, int Layers, double Dropout, string? WidthPlate, EquatableArray<string> Latents);
}
