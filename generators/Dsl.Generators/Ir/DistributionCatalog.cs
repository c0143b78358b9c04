using System.Collections.Generic;
using System.Linq;

namespace Dsl.Generators.Ir
{
    /// <summary>The support of a value: what a node or argument may hold.</summary>
    public enum Support
    {
        Real,
        Positive,
        NonNegative,
        UnitInterval,
        Count,
        Binary,
        Category,
    }

    /// <summary>One parameter of a distribution marker and the values it may take.</summary>
    public sealed record DistributionParameter(string Name, Support Support, string? ExclusiveGroup = null);

    /// <summary>What the DSL knows about one <c>Dist.*</c> marker.</summary>
    public sealed record DistributionInfo(string Name, Support Draws, bool IsVector, IReadOnlyList<DistributionParameter> Parameters)
    {
        public DistributionParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

        /// <summary>The value type a node drawn from this distribution is declared with.</summary>
        public string NodeType => Draws switch
        {
            Support.Count or Support.Binary => "int",
            Support.Category => "a plate",
            _ => "double",
        };
    }

    /// <summary>The distributions of the DSL; their signatures mirror <c>Dsl.Dist</c>.</summary>
    public static class DistributionCatalog
    {
        // Parameters sharing an exclusive group are alternative links: exactly one must be given.
        private static readonly DistributionInfo[] all =
        {
            new("Normal", Support.Real, false, new[] { P("mean", Support.Real), P("sd", Support.Positive) }),
            new("LogNormal", Support.Positive, false, new[] { P("logMean", Support.Real), P("logSd", Support.Positive) }),
            new("Gamma", Support.Positive, false, new[] { P("shape", Support.Positive), P("rate", Support.Positive) }),
            new("Beta", Support.UnitInterval, false, new[] { P("a", Support.Positive), P("b", Support.Positive) }),
            new("Dirichlet", Support.UnitInterval, true, new[] { P("concentration", Support.Positive) }),
            new("Categorical", Support.Category, false, new[] { P("p", Support.UnitInterval, "link"), P("logit", Support.Real, "link") }),
            new("Multinomial", Support.Count, true, new[] { P("p", Support.UnitInterval) }),
            new("Bernoulli", Support.Binary, false, new[] { P("p", Support.UnitInterval, "link"), P("logit", Support.Real, "link") }),
            new("Binomial", Support.Count, false, new[] { P("trials", Support.Count), P("p", Support.UnitInterval, "link"), P("logit", Support.Real, "link") }),
            new("Poisson", Support.Count, false, new[] { P("rate", Support.NonNegative) }),
            new("NegativeBinomial", Support.Count, false, new[] { P("mean", Support.NonNegative), P("inverseDispersion", Support.Positive) }),
            new("ZeroInflatedNegativeBinomial", Support.Count, false,
                new[] { P("mean", Support.NonNegative), P("inverseDispersion", Support.Positive), P("zeroLogit", Support.Real) }),
            // Priors; Flat and HalfFlat are improper (nothing can be drawn from them).
            new("Flat", Support.Real, false, new DistributionParameter[0]),
            new("HalfFlat", Support.Positive, false, new DistributionParameter[0]),
            new("Uniform", Support.Real, false, new[] { P("lower", Support.Real), P("upper", Support.Real) }),
            new("HalfNormal", Support.Positive, false, new[] { P("sd", Support.Positive) }),
            new("Cauchy", Support.Real, false, new[] { P("location", Support.Real), P("scale", Support.Positive) }),
            new("HalfCauchy", Support.Positive, false, new[] { P("scale", Support.Positive) }),
            new("StudentT", Support.Real, false, new[] { P("degreesOfFreedom", Support.Positive), P("location", Support.Real), P("scale", Support.Positive) }),
            new("HalfStudentT", Support.Positive, false, new[] { P("degreesOfFreedom", Support.Positive), P("scale", Support.Positive) }),
            new("Exponential", Support.Positive, false, new[] { P("rate", Support.Positive) }),
            new("InverseGamma", Support.Positive, false, new[] { P("shape", Support.Positive), P("scale", Support.Positive) }),
        };

        /// <summary>Distributions with no normalisable density: they can be priors, but nothing can be simulated from them.</summary>
        public static bool IsImproper(string name) => name is "Flat" or "HalfFlat";

        private static readonly Dictionary<string, DistributionInfo> byName = all.ToDictionary(d => d.Name);

        public static IReadOnlyList<DistributionInfo> All => all;

        public static DistributionInfo? Find(string name) => byName.TryGetValue(name, out var info) ? info : null;

        private static DistributionParameter P(string name, Support support, string? group = null) => new(name, support, group);
    }
}
