using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;

namespace Dsl.Generators.Ir
{
    /// <summary>Stage 1 output: what the declaration says, symbol-free, before any checking.</summary>
    public sealed record ModelDeclaration(
        string Namespace,
        string ClassName,
        string Accessibility,
        bool IsPartial,
        string? Description,
        EquatableArray<PlateDecl> Plates,
        EquatableArray<NodeDecl> Nodes,
        EquatableArray<UnsupportedMemberDecl> UnsupportedMembers,
        LocationInfo Location)
    {
        /// <summary><c>Extends = typeof(Base)</c>: the base class's name as written (its last identifier is matched), or null.</summary>
        public ExtendsDecl? Extends { get; init; }

        /// <summary>Each plate's and node's declaration as written, by name, and the file's using directives: what a class extending this one inherits.</summary>
        public EquatableArray<MemberSource> Sources { get; init; } = EquatableArray<MemberSource>.Empty;

        public EquatableArray<string> Usings { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Members a base contributed (their source, for <c>{Model}.Inherited.g.cs</c>), after <see cref="Parsing.Inheritance"/> merged them in.</summary>
        public EquatableArray<MemberSource> Inherited { get; init; } = EquatableArray<MemberSource>.Empty;

        /// <summary>The using directives of the bases' files, which the inherited members' text needs.</summary>
        public EquatableArray<string> InheritedUsings { get; init; } = EquatableArray<string>.Empty;
    }

    /// <summary>The base a model extends, as written in <c>typeof(...)</c>, and where.</summary>
    public sealed record ExtendsDecl(string TypeName, LocationInfo Location)
    {
        /// <summary>The class name the base is found by (the last identifier of a qualified name).</summary>
        public string ClassName => TypeName.Substring(TypeName.LastIndexOf('.') + 1);
    }

    /// <summary>A plate's or node's declaration text, by its name.</summary>
    public sealed record MemberSource(string Name, string Text);

    /// <param name="Size">the size <c>[Plate(Size = n)]</c> fixes, or null where the data give it</param>
    public sealed record PlateDecl(string Name, string? Description, bool IsPartial, LocationInfo Location, double? Size = null);

    /// <summary>A member of the model class the DSL does not understand (field, property, ...).</summary>
    public sealed record UnsupportedMemberDecl(string Name, LocationInfo Location);

    public enum NodeRole
    {
        Param,
        Data,
        Latent,
        Observed,
        Deterministic,
        Network,
    }

    /// <summary>One plate index of a node: <c>Gene i</c>.</summary>
    public sealed record IndexDecl(string Variable, string Plate, LocationInfo Location);

    /// <summary>A named argument of a <c>Dist.*</c> call, e.g. <c>logit: kappa(l) + ...</c>.</summary>
    public sealed record ArgumentDecl(string Name, Expr Value, LocationInfo Location);

    /// <summary>A <c>Dist.*</c> body. <see cref="Over"/> is the index a vector distribution ranges over.</summary>
    public sealed record DistributionDecl(string Name, string? Over, EquatableArray<ArgumentDecl> Arguments, LocationInfo Location);

    public sealed record ConstraintsDecl(bool Simplex, string? SimplexOver, bool Positive, double? Floor, LocationInfo? SimplexLocation, LocationInfo? FloorLocation = null, bool Ordered = false,
        MissingDecl? Missing = null);

    /// <summary>
    /// Which entries of an observed node were not measured: those where <see cref="Mask"/> (a data node) is zero
    /// (<c>[MeasuredWhere(nameof(mask))]</c>), or its zero entries (<c>[ZerosMissing]</c>). Both given is an error.
    /// </summary>
    public sealed record MissingDecl(string? Mask, bool Zeros, LocationInfo Location);

    /// <summary>Architecture of a [Network] node or of a latent's [Encoder].</summary>
    public sealed record NetworkDecl(
        EquatableArray<string> Inputs,
        int Hidden,
        int Layers,
        double Dropout,
        bool BatchNorm,
        string Output,
        string Transform,
        string? SharesWeightsWith,
        string? SharedLastLayer,
        string? SharesHiddenLayersWith,
        bool KlWarmup,
        LocationInfo Location);

    /// <summary>[Adversarial("group", Kappa = ..., Hidden = ..., Layers = ..., Dropout = ...)] with the attribute's defaults.</summary>
    public sealed record AdversarialDecl(string Group, double Kappa, int Hidden, int Layers, double Dropout, LocationInfo Location);

    public sealed record NodeDecl(
        string Name,
        string Modifiers,
        EquatableArray<string> RoleAttributes,
        string ValueType,
        EquatableArray<IndexDecl> Indices,
        bool IsPartial,
        bool HasBody,
        DistributionDecl? Distribution,
        Expr? Body,
        ConstraintsDecl Constraints,
        NetworkDecl? Network,
        NetworkDecl? Encoder,
        LocationInfo Location)
    {
        /// <summary>[Adversarial(group, ...)]: the latent joins a group whose cell plates a discriminator tells apart.</summary>
        public AdversarialDecl? Adversarial { get; init; }

        /// <summary>The role the attributes give (the first one when several conflict; validation reports that).</summary>
        public NodeRole Role => RoleAttributes.Count > 0
            ? (NodeRole)System.Enum.Parse(typeof(NodeRole), RoleAttributes[0])
            : NodeRole.Deterministic;
    }
}
