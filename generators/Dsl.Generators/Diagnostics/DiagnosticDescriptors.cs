using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic the DSL reports. Ids are stable: 00xx declaration shape, 01xx plates and indexing,
    /// 02xx distributions and supports, 03xx the model graph, 04xx inference planning, 09xx internal. Keep in sync with docs/diagnostics.md.
    /// </summary>
    public static class DiagnosticDescriptors
    {
        private const string Category = "Dsl.PlateModel";
        private const string HelpBase = "docs/diagnostics.md#";

        public static readonly DiagnosticDescriptor ModelNotPartial = Error("DSL0001",
            "Plate model class must be partial",
            "Plate model '{0}' must be declared 'partial' so the generator can add its inference code; add the 'partial' modifier");

        public static readonly DiagnosticDescriptor UnsupportedMember = Error("DSL0002",
            "Unsupported member in a plate model",
            "Model '{0}': member '{1}' is not part of the DSL; declare nodes as methods over plate indices and plates as [Plate] partial structs");

        public static readonly DiagnosticDescriptor DuplicateName = Error("DSL0003",
            "Two declarations share one name",
            "Model '{0}' declares '{1}' more than once; give each node and plate its own name");

        public static readonly DiagnosticDescriptor UnsupportedExpression = Error("DSL0004",
            "Expression not supported in a node body",
            "Model '{0}', node '{1}': '{2}' is not supported here; use node calls, plate indices, numbers, + - * /, Fn.* functions and Sum((Plate p) => ...)");

        public static readonly DiagnosticDescriptor MissingRole = Error("DSL0005",
            "Node has no role",
            "Model '{0}', node '{1}' {2}");

        public static readonly DiagnosticDescriptor StoredNodeShape = Error("DSL0006",
            "Parameter, data and network nodes are partial methods without a body",
            "Model '{0}', node '{1}' is [{2}]: declare it as 'public partial' without a body (the generator supplies it); a real [Param] may instead have a prior as its whole body, public double w(...) => Dist.Normal(0, 1)");

        public static readonly DiagnosticDescriptor UnsupportedValueType = Error("DSL0007",
            "Unsupported node value type",
            "Model '{0}', node '{1}' returns '{2}'; a node returns double (real), int (count or binary) or a plate (an index into it)");

        public static readonly DiagnosticDescriptor ConflictingRoles = Error("DSL0008",
            "Node has more than one role",
            "Model '{0}', node '{1}' is marked {2}; keep exactly one of [Param], [Data], [Latent], [Observed], [Network]");

        public static readonly DiagnosticDescriptor PlateNotPartial = Error("DSL0009",
            "Plate struct must be partial",
            "Model '{0}': plate '{1}' must be declared 'partial struct' so the generator can give it its index value; add the 'partial' modifier");

        public static readonly DiagnosticDescriptor UnknownPlate = Error("DSL0101",
            "Unknown plate",
            "Model '{0}', node '{1}': '{2}' is not a plate of this model; declare it as a nested '[Plate] public partial struct {2} {{ }}' or use one of: {3}");

        public static readonly DiagnosticDescriptor IndexOutsidePlate = Error("DSL0102",
            "Index used outside its plate",
            "Model '{0}', node '{1}': argument {2} of '{3}' must index plate '{4}', but '{5}' ranges over '{6}'");

        public static readonly DiagnosticDescriptor WrongIndexCount = Error("DSL0103",
            "Wrong number of indices",
            "Model '{0}', node '{1}': '{2}' ranges over {3} plate(s) ({4}) but is given {5} index(es)");

        public static readonly DiagnosticDescriptor UnknownNode = Error("DSL0104",
            "Unknown node or function",
            "Model '{0}', node '{1}': '{2}' is neither a node of this model, a plate index in scope, nor a Fn.* function");

        public static readonly DiagnosticDescriptor PlateUnused = Warning("DSL0105",
            "Plate never used",
            "Model '{0}': plate '{1}' is declared but no node ranges over it; remove it or index a node by it");

        public static readonly DiagnosticDescriptor SumIndexUnused = Error("DSL0106",
            "Sum whose body never uses its index",
            "Model '{0}', node '{1}': the Sum over '{2}' never uses its index '{3}', so it only multiplies its body by the size of '{2}'; index the summed node by '{3}' (e.g. {4}), or write Size<{2}>() for the number of entries of '{2}'");

        public static readonly DiagnosticDescriptor IndexOutsideItsSum = Error("DSL0107",
            "Index used outside the Sum that binds it",
            "Model '{0}', node '{1}': index '{2}' is bound only inside the Sum that declares it ((Plate {2}) => ...); use it inside that Sum, or index this node by a plate of its own");

        public static readonly DiagnosticDescriptor PlateValueAsNumber = Error("DSL0108",
            "Plate-valued node used as a number",
            "Model '{0}', node '{1}': '{2}' holds an index into plate '{3}', not a number; use it to index a node over '{3}' (e.g. a per-{3} parameter p({2}(...))), or declare a numeric [Data] node for the covariate");

        public static readonly DiagnosticDescriptor PlateSize = Error("DSL0109",
            "Declared plate size is not a positive whole number",
            "Model '{0}': plate '{1}' declares Size = {2}; a plate has a whole number of entries, at least 1 (leave Size out to take the size from the data)");

        public static readonly DiagnosticDescriptor PositionOutsideDerivedData = Error("DSL0110",
            "Plate position used outside a node computed from data",
            "Model '{0}', node '{1}': '{2}' computes with a plate position, which only a node computed from data alone may do (it is evaluated once, when the data are bound); move it into a node of its own that reads data and positions only, e.g. public double position(T t) => t.Value; or public K next(K k) => new K(k.Value + 1);, and read that node here");

        public static readonly DiagnosticDescriptor DistributionShape = Error("DSL0201",
            "Distribution shape does not match the node",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor SupportMismatch = Error("DSL0202",
            "Node value type does not match the distribution's support",
            "Model '{0}', node '{1}' returns '{2}' but {3} draws {4}; declare the node as '{5}'");

        public static readonly DiagnosticDescriptor SimplexAxis = Error("DSL0203",
            "Simplex without a valid axis",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor ArgumentSupport = Error("DSL0204",
            "Argument outside the distribution's support",
            "Model '{0}', node '{1}': {2} argument '{3}' is {4} but must be {5}");

        public static readonly DiagnosticDescriptor UnsupportedLink = Error("DSL0205",
            "Unsupported distribution/link combination",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor ConstraintOnNonParameter = Error("DSL0206",
            "Constraint on a node that is not a parameter",
            "Model '{0}', node '{1}' is {2}; [Simplex], [Positive] and [Floor] constrain [Param] nodes only (a random node's support comes from its distribution)");

        public static readonly DiagnosticDescriptor FloorOutsideConstraint = Error("DSL0207",
            "Floor outside the constraint's range",
            "Model '{0}', node '{1}': [Floor({2})] on a {3} parameter must be {4}; use a small positive floor such as 1e-6, or remove it");

        public static readonly DiagnosticDescriptor UnresolvedExtends = Error("DSL0010",
            "Extends names no plate model it can extend",
            "Model '{0}': {1}");

        public static readonly DiagnosticDescriptor MissingEntriesMisuse = Error("DSL0209",
            "Missing-entry attribute misplaced",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor OrderedMisuse = Error("DSL0208",
            "[Ordered] on a node that cannot be ordered",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor ObservedWithoutDistribution = Error("DSL0301",
            "Observed node that nothing generates",
            "Model '{0}', node '{1}' is [Observed] but has no Dist.* body; give its likelihood, or mark it [Data] if it is an input the model does not explain");

        public static readonly DiagnosticDescriptor Cycle = Error("DSL0302",
            "Cycle in the model graph",
            "Model '{0}': node '{1}' depends on itself through {2}; a plate model must be acyclic{3}");

        public static readonly DiagnosticDescriptor LatentWithoutPrior = Error("DSL0303",
            "Latent node without a prior",
            "Model '{0}', node '{1}' is [Latent] but has no Dist.* body; give it a prior such as Dist.Normal(0, 1), or make it a [Param]");

        public static readonly DiagnosticDescriptor ParameterUnused = Warning("DSL0304",
            "Parameter never used",
            "Model '{0}': parameter '{1}' is never used by any node, so the data cannot inform it and the fit reports no estimate of it; {2}");

        public static readonly DiagnosticDescriptor Uninformed = Warning("DSL0309",
            "Node that informs no observation",
            "Model '{0}': no observation depends on {1} '{2}', so the data cannot inform it: {3}; {4}");

        public static readonly DiagnosticDescriptor NetworkShape = Error("DSL0305",
            "Network inputs or output do not match its use",
            "Model '{0}', network '{1}': {2}");

        public static readonly DiagnosticDescriptor NoObservedNode = Error("DSL0306",
            "Model observes nothing",
            "Model '{0}' has no [Observed] node, so there is nothing to fit; mark the data the model explains [Observed]");

        public static readonly DiagnosticDescriptor EncoderMisuse = Error("DSL0307",
            "Encoder misuse",
            "Model '{0}', node '{1}': {2}");

        public static readonly DiagnosticDescriptor DistributionInDeterministic = Error("DSL0308",
            "Distribution in a deterministic position",
            "Model '{0}', node '{1}': a Dist.* call may only be the whole body of a [Latent] or [Observed] node; {2}");

        // Planning reports are warnings: the model compiles and can be drawn, but no inference code is generated for it
        // (the engines are exclusive: a model with networks goes to VI only), so a user must hear why.
        public static readonly DiagnosticDescriptor NoGibbsRule = Warning("DSL0401",
            "No Gibbs-EM rule applies",
            "Model '{0}', node '{1}': {2}; the model compiles and can be drawn, but it cannot be fitted by Gibbs-EM");

        public static readonly DiagnosticDescriptor NoVariationalRule = Warning("DSL0402",
            "No variational rule applies",
            "Model '{0}', node '{1}': {2}; the model compiles and can be drawn, but it cannot be fitted by variational inference");

        public static readonly DiagnosticDescriptor NoSamplingRule = Warning("DSL0404",
            "No gradient-based sampling applies",
            "Model '{0}', node '{1}': {2}; the model compiles and can be drawn, but it cannot be fitted by NUTS");

        public static readonly DiagnosticDescriptor NoInferenceEngine = Warning("DSL0403",
            "No inference engine applies",
            "Model '{0}' has nothing to estimate: no [Param], no [Latent] and no [Network], so no engine has anything to fit; it compiles and can be drawn. Declare what is unknown as a [Param], or as a [Latent] with a prior");

        public static readonly DiagnosticDescriptor NoPointEstimationRule = Warning("DSL0405",
            "No point estimation applies",
            "Model '{0}', node '{1}': {2}; the model compiles and can be drawn, but its parameters cannot be estimated by maximum likelihood");

        public static readonly DiagnosticDescriptor InternalError = Error("DSL0901",
            "Internal generator error",
            "The plate-model generator failed on '{0}': {1}; please report this with the model file");

        private static readonly Dictionary<string, DiagnosticDescriptor> byId = typeof(DiagnosticDescriptors)
            .GetFields()
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToDictionary(descriptor => descriptor.Id);

        public static IEnumerable<DiagnosticDescriptor> All => byId.Values.OrderBy(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => byId[id];

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
    }
}
