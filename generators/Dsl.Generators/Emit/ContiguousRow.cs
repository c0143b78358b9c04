using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>
    /// A node read whose last index is a summed variable k that no other index reads: its entries k = 0..K−1 are one
    /// contiguous row of the node's row-major storage, so a sum over k of products of such reads is a vectorised row
    /// operation (<c>Rows.Dot</c>, <c>Rows.AddScaled</c>) rather than a scalar loop.
    /// </summary>
    internal sealed class ContiguousRow
    {
        private ContiguousRow(NodeSpec node, string start, string size, IReadOnlyList<string> prefix)
        {
            (Node, Start, Size, Prefix) = (node, start, size, prefix);
        }

        public NodeSpec Node { get; }

        /// <summary>The row's first position in the node's flat storage, and its length (the last plate's size).</summary>
        public string Start { get; }

        public string Size { get; }

        /// <summary>The C# of the leading indices, which pick the row.</summary>
        public IReadOnlyList<string> Prefix { get; }

        /// <summary>The row of a real node read along <paramref name="variable"/>, or null.</summary>
        public static ContiguousRow? Of(ModelSpec spec, NodeCallExpr call, string variable, CodeExpr code)
        {
            var node = ExprTools.Find(spec, call.Node);
            if (node is not { Kind: ValueKind.Real } || call.Indices.Count == 0) return null;
            if (call.Indices[call.Indices.Count - 1] is not IndexExpr last || last.Name != variable) return null;
            var prefix = call.Indices.Take(call.Indices.Count - 1).ToList();
            if (prefix.Any(index => ExprTools.UsesIndex(index, variable))) return null;
            var printed = prefix.Select(code.Of).ToList();
            var start = CodeExpr.RowMajor(printed.Append("0").ToList(), node.Indices.Select(i => CodeExpr.Size(i.Plate)).ToList());
            return new ContiguousRow(node, start, CodeExpr.Size(node.Indices[node.Indices.Count - 1].Plate), printed);
        }

        /// <summary>The row of a flat array holding the node (a latent's values or gradient), as a span.</summary>
        public string Slice(string array, string span = "ReadOnlySpan") => $"new global::System.{span}<double>({array}, {Start}, {Size})";

        /// <summary>The row of a stored data or parameter node's <c>{Name}Values</c> (up to three plates), or null.</summary>
        public string? Stored => Prefix.Count == 0 ? $"new global::System.ReadOnlySpan<double>({Node.Name}Values)"
            : Prefix.Count <= 2 ? $"global::Dsl.Runtime.Hmc.Rows.Row({Node.Name}Values, {string.Join(", ", Prefix)})"
            : null;
    }
}
