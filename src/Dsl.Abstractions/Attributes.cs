using System;

namespace Dsl
{
    /// <summary>Marks a <c>partial</c> class as a plate model: the generator reads its plates and nodes.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class PlateModelAttribute : Attribute
    {
        public PlateModelAttribute() { }
        public PlateModelAttribute(string description) { Description = description; }
        public string? Description { get; }

        /// <summary>
        /// Another [PlateModel] class of the same compilation this one extends: its plates and nodes are this model's
        /// too, except those this class declares again by name, which replace them. A one-edit variant is one node.
        /// </summary>
        public Type? Extends { get; set; }
    }

    /// <summary>Marks a nested <c>partial struct</c> as a plate: an index set whose size is bound from data.</summary>
    [AttributeUsage(AttributeTargets.Struct, Inherited = false)]
    public sealed class PlateAttribute : Attribute
    {
        public PlateAttribute() { }
        public PlateAttribute(string description) { Description = description; }
        public string? Description { get; }

        /// <summary>
        /// A size the declaration fixes (the coefficients of a regression, the components of a mixture): data need
        /// not give it, and data that span the plate must agree. 0, the default, leaves the size to the data.
        /// </summary>
        public int Size { get; set; }
    }

    /// <summary>A model parameter: a <c>partial</c> method without body, fitted by inference.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class ParamAttribute : Attribute { }

    /// <summary>Observed inputs that no distribution generates (labels, covariates, index arrays, prior constants).</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DataAttribute : Attribute { }

    /// <summary>A latent random node: the method body is its prior <c>Dist.*</c>.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class LatentAttribute : Attribute { }

    /// <summary>An observed random node: the method body is its likelihood <c>Dist.*</c>.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class ObservedAttribute : Attribute { }

    /// <summary>Constrains a parameter to the probability simplex along one of its plates.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class SimplexAttribute : Attribute
    {
        /// <summary>Without an axis the generator reports DSL0203: a simplex needs the plate it sums over.</summary>
        public SimplexAttribute() { }
        public SimplexAttribute(string over) { Over = over; }
        public string? Over { get; }
    }

    /// <summary>Constrains a parameter to be strictly positive.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class PositiveAttribute : Attribute { }

    /// <summary>A lower bound every entry of the parameter keeps during fitting (URSM's epsilon_A, epsilon_alpha).</summary>
    /// <summary>
    /// A real latent vector whose entries increase along its last plate (mixture components, cut points): sampled
    /// as the first entry and the logs of the gaps, and its prior is the declared one restricted to increasing vectors.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class OrderedAttribute : Attribute { }

    /// <summary>
    /// Says which entries of an <c>[Observed]</c> node were measured: those where the named <c>[Data]</c> node, over the
    /// same plates, is non-zero. The rest are missing: they add nothing to the likelihood, and a fit predicts them.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class MeasuredWhereAttribute : Attribute
    {
        public MeasuredWhereAttribute(string mask) { Mask = mask; }
        public string Mask { get; }
    }

    /// <summary>
    /// The zero entries of an <c>[Observed]</c> node are missing rather than measured (dropouts, as deepMc treats them):
    /// they add nothing to the likelihood, and a fit predicts them.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class ZerosMissingAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class FloorAttribute : Attribute
    {
        public FloorAttribute(double value) { Value = value; }
        public double Value { get; }
    }
}
