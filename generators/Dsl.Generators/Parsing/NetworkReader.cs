using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Dsl.Generators.Parsing
{
    /// <summary>[Network(...)] and [Encoder(...)] -> <see cref="NetworkDecl"/>, with the attributes' defaults.</summary>
    internal static class NetworkReader
    {
        public static NetworkDecl Read(AttributeSyntax attribute) => new(
            AttributeReader.Strings(AttributeReader.Named(attribute, "Inputs")?.Expression).ToEquatableArray(),
            (int)(AttributeReader.Number(AttributeReader.Named(attribute, "Hidden")?.Expression) ?? 128),
            (int)(AttributeReader.Number(AttributeReader.Named(attribute, "Layers")?.Expression) ?? 1),
            AttributeReader.Number(AttributeReader.Named(attribute, "Dropout")?.Expression) ?? 0.1,
            AttributeReader.Boolean(AttributeReader.Named(attribute, "BatchNorm")?.Expression) ?? true,
            AttributeReader.EnumMember(AttributeReader.Named(attribute, "Output")?.Expression) ?? "Identity",
            AttributeReader.EnumMember(AttributeReader.Named(attribute, "Transform")?.Expression) ?? "None",
            AttributeReader.String(AttributeReader.Named(attribute, "SharesWeightsWith")?.Expression),
            AttributeReader.String(AttributeReader.Named(attribute, "SharedLastLayer")?.Expression),
            AttributeReader.String(AttributeReader.Named(attribute, "SharesHiddenLayersWith")?.Expression),
            AttributeReader.Boolean(AttributeReader.Named(attribute, "KlWarmup")?.Expression) ?? true,
            LocationInfo.From(attribute));

        /// <summary>[Adversarial(...)] -> <see cref="AdversarialDecl"/>; a group that is not a string literal reads as empty (the planner refuses it).</summary>
        public static AdversarialDecl ReadAdversarial(AttributeSyntax attribute) => new(
            AttributeReader.String(AttributeReader.Positional(attribute).FirstOrDefault()?.Expression) ?? "",
            AttributeReader.Number(AttributeReader.Named(attribute, "Kappa")?.Expression) ?? 5,
            (int)(AttributeReader.Number(AttributeReader.Named(attribute, "Hidden")?.Expression) ?? 32),
            (int)(AttributeReader.Number(AttributeReader.Named(attribute, "Layers")?.Expression) ?? 3),
            AttributeReader.Number(AttributeReader.Named(attribute, "Dropout")?.Expression) ?? 0.1,
            LocationInfo.From(attribute));
    }
}
