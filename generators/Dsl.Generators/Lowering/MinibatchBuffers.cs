using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Emit;
using Dsl.Generators.Ir;
using static Dsl.Generators.Emit.VariationalNames;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// The arrays a variational part sizes as each minibatch arrives: one row per cell of the minibatch, so each array's
    /// length is <c>rows</c> times its width (the cell index, the row log-weights, the observed and covariate rows, the
    /// encoders' samples and their gradients, the trunks' gathered inputs, one-hot codes, the networks' output
    /// gradients, the likelihood kernels' per-entry arguments), plus the parameters' current values and their per-chunk
    /// partials, whose length is the parameter's. Laid out once here; the emitters declare, size and fill them as listed.
    /// Arrays marked <see cref="Buffer.Decoded"/> are also what decoding given latents (simulation) needs.
    /// </summary>
    public sealed record MinibatchBuffers(IReadOnlyList<MinibatchBuffers.Buffer> Buffers)
    {
        /// <param name="Name">The field's name.</param>
        /// <param name="Element">Its element type: T (the step's number type), int or double.</param>
        /// <param name="Length">Its length for a minibatch of <c>rows</c> rows, as C#.</param>
        /// <param name="Holds">What it holds, for the field's comment and the lowered program.</param>
        /// <param name="Decoded">Whether decoding at given latent values reads it too.</param>
        public sealed record Buffer(string Name, string Element, string Length, string Holds, bool Decoded = false);

        public IEnumerable<Buffer> Decoding => Buffers.Where(b => b.Decoded);

        public static MinibatchBuffers Of(ModelSpec spec, VariationalPlan plan)
        {
            var buffers = new List<Buffer>
            {
                new("cellOf", "int", "rows", "the cell of each row", Decoded: true),
                new("rowLogWeight", "double", "rows", "per row: log-likelihood, then log prior − log q at the sample"),
            };
            string PerRow(string width) => CodeFolding.Times("rows", width);
            buffers.AddRange(ElboEmitter.ObservedInputs(plan).Select(o => new Buffer(CountBatch(o), "T", PerRow(Width(ElboEmitter.RowPlate(spec, o))), $"{o}'s rows")));
            buffers.AddRange(ElboEmitter.LogCountInputs(plan).Select(o => new Buffer(LogCountBatch(o), "T", PerRow(Width(ElboEmitter.RowPlate(spec, o))), $"log(1 + {o})'s rows")));
            buffers.AddRange(ElboEmitter.CovariateInputs(plan).Select(i => new Buffer(CovariateBatch(i.Node), "T", PerRow(Width(i.Plate)), $"covariate {i.Node}'s rows", Decoded: true)));
            foreach (var latent in plan.Latents)
            {
                if (ElboEmitter.NeedsGather(latent.Inputs))
                    buffers.Add(new Buffer($"{latent.Node}EncoderInput", "T", $"rows * ({ElboEmitter.ContinuousWidth(latent.Inputs)})", $"q({latent.Node})'s encoder inputs side by side"));
                var width = PerRow(Width(latent.ItemPlate));
                buffers.Add(new Buffer(Sample(latent.Node), "T", width, $"the draw of {latent.Node}", Decoded: true));
                buffers.Add(new Buffer(Noise(latent.Node), "T", width, $"the standard noise behind {latent.Node}'s draw"));
                buffers.Add(new Buffer(SampleGradient(latent.Node), "T", width, $"∂ELBO/∂{latent.Node} at the draw"));
                buffers.Add(new Buffer(MeanGradient(latent.Node), "T", width, $"∂ELBO/∂ q({latent.Node})'s mean"));
                buffers.Add(new Buffer(VarianceGradient(latent.Node), "T", width, $"∂ELBO/∂ q({latent.Node})'s variance"));
            }
            foreach (var trunk in ElboEmitter.Trunks(plan))
            {
                var inputs = trunk.First().Inputs;
                var width = $"rows * ({ElboEmitter.ContinuousWidth(inputs)})";
                if (ElboEmitter.NeedsGather(inputs)) buffers.Add(new Buffer(Input(trunk.Key), "T", width, $"the inputs of {trunk.Key}'s trunk side by side", Decoded: true));
                buffers.Add(new Buffer(InputGradient(trunk.Key), "T", width, $"∂ELBO/∂ the inputs of {trunk.Key}'s trunk"));
            }
            foreach (var owner in plan.Latents.Select(l => ($"{l.Node}Encoder", l.Inputs, false)).Concat(ElboEmitter.Trunks(plan).Select(t => (t.Key, t.First().Inputs, true))))
                buffers.Add(new Buffer(OneHot(owner.Item1), "int", PerRow($"{owner.Item2.Count(i => i.Kind == InputKind.Category)}"), $"the one-hot columns of {owner.Item1}'s categorical inputs", Decoded: owner.Item3));
            buffers.AddRange(plan.Networks.Select(n => new Buffer(OutputGradient(n.Node), "T", PerRow(Size(n.ItemPlate)), $"∂ELBO/∂ {n.Node}'s outputs")));
            foreach (var term in plan.Likelihoods)
            {
                var width = PerRow(Width(term.ItemPlate));
                if (term.Kernel == LikelihoodKernel.VectorRow) buffers.Add(new Buffer(ValueDerivative(term), "T", width, $"the row kernel's partials in {term.Node}'s observed values, unused"));
                foreach (var argument in term.Arguments)
                {
                    buffers.Add(new Buffer(ArgumentOutput(term, argument), "T", width, $"{term.Node}'s {argument.Name} per entry"));
                    buffers.Add(new Buffer(ArgumentDerivative(term, argument), "T", width, $"∂ log p({term.Node})/∂ its {argument.Name} per entry"));
                }
            }
            foreach (var parameter in plan.Parameters)
            {
                var length = $"{Parameter(parameter.Node)}.Value.Length";
                buffers.Add(new Buffer(Value(parameter.Node), "T", length, $"{parameter.Node} on its own scale"));
                buffers.Add(new Buffer(Partials(parameter.Node), "T", $"{Variational}.RowChunks.Count * {length}", $"∂ELBO/∂{parameter.Node}, one partial sum per chunk of rows"));
            }
            buffers.AddRange(plan.Globals.Select(g => new Buffer(Partials(g.Node), "T", $"{Variational}.RowChunks.Count * {Value(g.Node)}.Length", $"∂ELBO/∂{g.Node}, one partial sum per chunk of rows")));
            return new MinibatchBuffers(buffers);
        }
    }
}
