using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>What feeds a network or an encoder: counts (optionally log1p), an encoded latent, or a category as one-hot.</summary>
    public enum InputKind
    {
        Counts,
        Latent,
        Category,
    }

    /// <summary>One input of a network; <see cref="Plate"/> is its width plate (item plate, or the category's plate), null for width 1.</summary>
    public sealed record NetworkInput(string Node, InputKind Kind, string? Plate);

    /// <summary>
    /// A latent with an amortised encoder: q = Normal(mean, variance) from the encoder (on the log scale for a
    /// LogNormal prior), sampled by reparameterisation, with an analytic KL term against its prior.
    /// </summary>
    public sealed record EncodedLatent(
        string Node,
        bool LogScale,
        string? ItemPlate,
        Expr PriorMean,
        Expr PriorSd,
        EquatableArray<NetworkInput> Inputs,
        NetworkDecl Encoder,
        int Line);

    /// <summary>A network node: its inputs, architecture, and the network whose hidden layers it uses (itself unless shared).</summary>
    public sealed record NetworkNode(string Node, string ItemPlate, EquatableArray<NetworkInput> Inputs, NetworkDecl Architecture, string TrunkOwner, int Line);

    /// <summary>∂argument/∂target for one node element the argument reads.</summary>
    public sealed record PartialDerivative(NodeCallExpr Target, Expr Derivative);

    public sealed record LikelihoodArgument(string Name, Expr Value, EquatableArray<PartialDerivative> Partials);

    /// <summary>An observed count node and its likelihood family, with every argument's partial derivatives.</summary>
    public sealed record LikelihoodTerm(string Node, string ItemPlate, string Family, EquatableArray<LikelihoodArgument> Arguments, int Line);

    /// <summary>A global parameter optimised by gradient; a positive one through its logarithm.</summary>
    public sealed record FittedParameter(string Node, bool Positive);

    /// <summary>Variational inference for a model: minibatches over <see cref="BatchPlate"/>, the ELBO's terms and their gradients.</summary>
    public sealed record VariationalPlan(
        string BatchPlate,
        EquatableArray<EncodedLatent> Latents,
        EquatableArray<NetworkNode> Networks,
        EquatableArray<LikelihoodTerm> Likelihoods,
        EquatableArray<FittedParameter> Parameters);
}
