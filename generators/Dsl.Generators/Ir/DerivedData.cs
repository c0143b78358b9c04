using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;

namespace Dsl.Generators.Ir
{
    /// <summary>
    /// Deterministic nodes computed from data alone (Stan's transformed data): a centred or standardised covariate,
    /// <c>zHeight(n) = (height(n) - meanHeight()) / sdHeight()</c>, a log-transformed one, an indicator. They are data
    /// to every rule and emitter: computed once from the bound data, stored, and read like any data node, instead of
    /// being inlined and re-evaluated at every read (a mean over N inside a term over N would cost N² per evaluation).
    /// A node qualifies when it has no role attribute and a real-valued expression body that reads data or derived
    /// nodes only, at least one of them or a plate's size; a constant stays inlined, so the emitters fold it.
    /// </summary>
    public static class DerivedData
    {
        public static HashSet<string> Names(IEnumerable<NodeDecl> nodes)
        {
            var data = new HashSet<string>(nodes.Where(n => n.Role == NodeRole.Data).Select(n => n.Name));
            var derived = new HashSet<string>();
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var node in nodes.Where(n => !derived.Contains(n.Name) && IsCandidate(n)))
                {
                    var reads = ExprTools.Calls(node.Body!).Select(c => c.Node).ToList();
                    // A constant stays inlined, for folding; a plate's size (a sum) is worth computing once, and a
                    // position (k.Value, new K(...)) is computed nowhere else.
                    if (reads.Count == 0 && !ExprTools.Subexpressions(node.Body!).Any(e => e is SumExpr or IndexValueExpr or PlateEntryExpr)) continue;
                    if (!reads.All(r => data.Contains(r) || derived.Contains(r))) continue;
                    derived.Add(node.Name);
                    changed = true;
                }
            }
            return derived;
        }

        /// <summary>No role attribute and an expression body: a real value, or an entry of the plate it is valued in (<c>new K(k.Value + 1)</c>).</summary>
        private static bool IsCandidate(NodeDecl node) =>
            node.RoleAttributes.Count == 0 && node.HasBody && node.Distribution is null && node.Body is not null
            && (node.ValueType == "double" || node.Body is PlateEntryExpr entry && entry.Plate == node.ValueType)
            && !ExprTools.Subexpressions(node.Body).Any(e => e is UnsupportedExpr);
    }
}
