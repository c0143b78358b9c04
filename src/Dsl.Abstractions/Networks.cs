using System;

namespace Dsl
{
    /// <summary>Non-linearity applied to a network's last layer.</summary>
    public enum Activation
    {
        Identity,
        Relu,
        Softmax,
        Exp,
        Softplus,
    }

    /// <summary>Transform applied to a network's count inputs before the first layer.</summary>
    public enum InputTransform
    {
        None,
        Log1p,
    }

    /// <summary>The architecture of an MLP: what [Network] and [Encoder] have in common.</summary>
    public abstract class NetworkArchitectureAttribute : Attribute
    {
        /// <summary>Names of the nodes fed to the network; each must range over the batch plate.</summary>
        public string[] Inputs { get; set; } = new string[0];
        public int Hidden { get; set; } = 128;
        public int Layers { get; set; } = 1;
        public double Dropout { get; set; } = 0.1;
        public bool BatchNorm { get; set; } = true;
        public InputTransform Transform { get; set; } = InputTransform.None;
    }

    /// <summary>
    /// A parameterised differentiable function (an MLP). Declared on a <c>partial</c> method whose first plate is the
    /// batch plate the network is applied over and whose second plate is its output axis, e.g.
    /// <c>double rho(Cell n, Gene g)</c>: one output vector over Gene per cell.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class NetworkAttribute : NetworkArchitectureAttribute
    {
        public Activation Output { get; set; } = Activation.Identity;
        /// <summary>Another network whose weights this one uses (gimVI's shared decoder).</summary>
        public string? SharesWeightsWith { get; set; }
        /// <summary>
        /// Another network whose hidden layers this one uses, so only its output layer is its own (scVI's f_w and
        /// f_h share theirs). The two must have the same inputs and hidden architecture.
        /// </summary>
        public string? SharesHiddenLayersWith { get; set; }
    }

    /// <summary>
    /// Amortised variational posterior for a latent node: an encoder network mapping <see cref="NetworkArchitectureAttribute.Inputs"/>
    /// to the parameters of a reparameterised Normal (or LogNormal) factor over the latent's plates.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class EncoderAttribute : NetworkArchitectureAttribute
    {
        /// <summary>Encoders naming the same group share their last layer (gimVI).</summary>
        public string? SharedLastLayer { get; set; }

        /// <summary>
        /// Whether this latent's KL term is scaled by the KL warm-up weight (default). scvi-tools warms up the cell
        /// state's KL only; the library size's KL counts in full from the first epoch.
        /// </summary>
        public bool KlWarmup { get; set; } = true;
    }
}

namespace Dsl
{
    /// <summary>
    /// Encoded latents over different cell plates that should share one distribution (gimVI eq 10, after Ganin et al.
    /// 2017): a discriminator network on their samples predicts which cell plate each came from, trained with its own
    /// optimiser, and the encoders are trained to fool it, the penalty weighted by <see cref="Kappa"/>. Declare it on
    /// each latent of the group, naming the same group.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class AdversarialAttribute : Attribute
    {
        public AdversarialAttribute(string group) { Group = group; }

        public string Group { get; }

        /// <summary>κ, the weight of the fooling penalty in the encoders' loss (scvi-tools' gimVI default 5; 0 turns it off).</summary>
        public double Kappa { get; set; } = 5;

        /// <summary>The discriminator's hidden layers and units (scvi-tools' classifier: 3 layers of 32, dropout 0.1, batch norm).</summary>
        public int Hidden { get; set; } = 32;

        public int Layers { get; set; } = 3;

        public double Dropout { get; set; } = 0.1;
    }
}
