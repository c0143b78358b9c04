using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Lowering;

namespace Dsl.Generators.Emit
{
    /// <summary>Prints a Gibbs-EM block's lowered workspace: its size properties, and the slices its sweep takes.</summary>
    internal static class WorkspaceEmitter
    {
        /// <summary>
        /// The <c>{block}WorkspaceDoubles</c> and <c>{block}WorkspaceBytes</c> properties the sweep's workspace pool
        /// rents by, each binding the size locals its lengths read (<paramref name="sizes"/>: local name to C#).
        /// </summary>
        public static void EmitSizes(SourceWriter w, string block, BlockWorkspace workspace, IReadOnlyDictionary<string, string> sizes)
        {
            Property(w, $"{block}WorkspaceDoubles", workspace.Doubles, sizes);
            Property(w, $"{block}WorkspaceBytes", workspace.Bytes, sizes);
        }

        /// <summary>One span per segment, at the offset the layout gives it; a segment kept only on recorded sweeps is empty otherwise.</summary>
        public static void EmitSlices(SourceWriter w, BlockWorkspace workspace)
        {
            foreach (var segment in workspace.Segments)
            {
                var slice = $"work.Doubles.AsSpan({workspace.OffsetOf(segment).Print()}, {segment.Length.Print()})";
                w.Line($"var {segment.Name} = {(segment.RecordedOnly ? $"context.Record ? {slice} : default" : slice)}; // {segment.Holds}");
            }
        }

        private static void Property(SourceWriter w, string name, WorkLength length, IReadOnlyDictionary<string, string> sizes)
        {
            var used = length.Terms.SelectMany(t => t.Sizes).Distinct().ToList();
            if (used.Count == 0)
            {
                w.Line($"private int {name} => {length.Print()};");
                w.Line();
                return;
            }
            using (w.Block($"private int {name}"))
            using (w.Block("get"))
            {
                foreach (var size in used) w.Line($"var {size} = {sizes[size]};");
                w.Line($"return {length.Print()};");
            }
            w.Line();
        }
    }
}
