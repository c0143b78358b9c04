using Dsl.Generators.Ir;

namespace Dsl.Generators.Emit
{
    /// <summary>How a node's values are stored, the same whatever engine fits the model.</summary>
    internal static class StorageForms
    {
        /// <summary>
        /// An observed integer node over two plates (counts, or 0/1 outcomes) is a sparse matrix, <c>{Name}Counts</c>:
        /// rows over its first plate, columns over its second. Everything else is a dense <c>{Name}Values</c> array.
        /// </summary>
        public static bool IsCountMatrix(NodeSpec node) =>
            node.Role == NodeRole.Observed && node.Kind == ValueKind.Integer && node.Indices.Count == 2;

        public static string Counts(NodeSpec node) => $"{node.Name}Counts";
    }
}
