using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// Stage 4, between the plans and the emitters: the decisions about how the planned updates run, made once on the
    /// IR so the emitters only print them. For exact Gibbs, the order of one sweep's updates; for Gibbs-EM, the sweep's schedule (which blocks run together in one parallel
    /// loop, which profiles are prepared once per sweep, each block's random stream and the data reads hoisted out of its
    /// element loop); for NUTS and maximum likelihood, the matrix products the log density evaluates by GEMM and which of
    /// them live a block of rows at a time; for variational inference, each part's random-stream keys and minibatch buffers. Printed for the snapshot baselines by <c>Emit/LoweredPrinter</c>.
    /// </summary>
    public sealed record LoweredProgram(ExactSweep? ExactGibbs, GibbsSchedule? GibbsEm, ProductLayout? Nuts, ProductLayout? MaximumLikelihood,
        IReadOnlyList<LoweredVariationalPart>? Variational)
    {
        public static LoweredProgram Lower(ModelSpec spec, ModelPlans plans) => new(
            plans.ExactGibbs.Plan is { } exact ? ExactSweep.Lower(exact) : null,
            plans.GibbsEm.Plan is { } gibbs ? GibbsSchedule.Lower(spec, gibbs) : null,
            plans.Nuts.Plan is { } nuts ? ProductLayout.Lower(spec, nuts) : null,
            plans.MaximumLikelihood.Plan is { } estimation ? ProductLayout.Lower(spec, estimation) : null,
            plans.Variational.Plan is { } joint ? joint.Parts.Select(part => LoweredVariationalPart.Of(VariationalPlanner.Integrated(spec), part)).ToList() : null);
    }

    /// <summary>One variational part, lowered: its random-stream keys and the arrays it sizes per minibatch.</summary>
    public sealed record LoweredVariationalPart(VariationalStreams Streams, MinibatchBuffers Buffers)
    {
        public static LoweredVariationalPart Of(ModelSpec integrated, VariationalPlan part) => new(VariationalStreams.Of(part), MinibatchBuffers.Of(integrated, part));
    }
}
