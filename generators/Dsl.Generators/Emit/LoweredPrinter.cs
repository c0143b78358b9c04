using System.Linq;
using Dsl.Generators.Lowering;

namespace Dsl.Generators.Emit
{
    /// <summary>Stage 4 as text: the lowered program of a model, engine by engine, for the snapshot baselines.</summary>
    public static class LoweredPrinter
    {
        public static string Print(LoweredProgram program)
        {
            var w = new SourceWriter();
            if (program.ExactGibbs is { } sweep)
            {
                w.Line("exact Gibbs sweep, in this order");
                using (w.Indent(1))
                    foreach (var step in sweep.Steps) w.Line($"{step.Method}: {step.Draws}");
            }
            if (program.GibbsEm is { } schedule)
            {
                w.Line("Gibbs-EM sweep");
                using (w.Indent(1))
                    for (var g = 0; g < schedule.Groups.Count; g++)
                    {
                        var group = schedule.Groups[g];
                        w.Line($"parallel loop {g + 1} over the replicates of {string.Join(" and ", group.Select(b => $"{b.Name} ({(b.ReplicatePlates.Count == 0 ? "one replicate" : string.Join(" x ", b.ReplicatePlates))})"))}");
                        using (w.Indent(1))
                            foreach (var block in group)
                            {
                                w.Line($"{block.Name}: random stream {block.Stream.Name} = {block.Stream.Key}{(block.PreparedPerSweep ? "; its profiles prepared once per sweep, before the loop" : "")}");
                                foreach (var read in block.Hoisted) w.Line($"    {ExprPrinter.Print(read.Call)} read once per replicate into {read.Local}");
                                if (block.WeightColumn is { } column) w.Line($"    the running-sum weights copied from design column {column}, the same covariate");
                                w.Line(block.Workspace.Segments.Count == 0 ? "    no workspace" : $"    workspace of {block.Workspace.Doubles.Print(false)} doubles{(block.Workspace.Bytes.Terms.Count > 0 ? $" and {block.Workspace.Bytes.Print(false)} bytes" : "")}, per thread:");
                                foreach (var segment in block.Workspace.Segments)
                                    w.Line($"        {segment.Name} [{block.Workspace.OffsetOf(segment).Print(false)}, +{segment.Length.Print(false)}): {segment.Holds}{(segment.RecordedOnly ? " (recorded sweeps only)" : "")}");
                            }
                    }
            }
            if (program.Variational is not null)
                w.Line($"variational inference: {VariationalStreams.Initialisation.Name} = {VariationalStreams.Initialisation.Key}, the stream of {VariationalStreams.Initialisation.Draws}");
            foreach (var part in program.Variational ?? new LoweredVariationalPart[0])
            {
                w.Line($"variational inference, {part.Streams.ClassName}: random-stream parts of each step");
                using (w.Indent(1))
                    foreach (var stream in part.Streams.Parts) w.Line($"{stream.Name} = {stream.Key}: {stream.Draws}");
                w.Line($"variational inference, {part.Streams.ClassName}: arrays sized per minibatch of rows{(part.Buffers.Decoding.Any() ? " (* also read when decoding given latents)" : "")}");
                using (w.Indent(1))
                    foreach (var buffer in part.Buffers.Buffers) w.Line($"{buffer.Element}[{buffer.Length}] {buffer.Name}{(buffer.Decoded ? " *" : "")}: {buffer.Holds}");
            }
            Products(w, "NUTS", program.Nuts);
            Products(w, "maximum likelihood", program.MaximumLikelihood);
            if (program.ExactGibbs is null && program.GibbsEm is null && program.Nuts is null && program.MaximumLikelihood is null && program.Variational is null) w.Line("nothing lowered: the model's engines print their plans as they stand");
            return w.ToString();
        }

        private static void Products(SourceWriter w, string engine, ProductLayout? layout)
        {
            if (layout is null) return;
            w.Line($"{engine} log density");
            using (w.Indent(1))
            {
                w.Line(layout.RowPlate is { } plate ? $"observations evaluated by ranges of {plate}" : "observations evaluated whole");
                if (layout.Products.Products.Count == 0) w.Line("no matrix products");
                foreach (var product in layout.Products.Products)
                    w.Line($"{product.Name}({product.Rows}, {product.Columns}) = {product.Formula} by GEMM over {product.Inner} (line {product.Line}){(layout.Blocking?.Holds(product) == true ? $", a block of {layout.Blocking.Plate} rows at a time" : "")}");
            }
        }
    }
}
