using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Derivation;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// One term of a length in doubles: <see cref="Count"/> times the product of the block's size locals
    /// (<c>elements</c>, <c>dimension</c>, <c>components</c>), or, with a <see cref="Rule"/>, times that runtime
    /// rule's own requirement for those sizes (<c>NormalisedWeightEnumeration.WorkspaceDoubles(elements)</c>).
    /// </summary>
    public sealed record LengthTerm(int Count, IReadOnlyList<string> Sizes, string? Rule = null)
    {
        public string Key => (Rule ?? "") + "(" + string.Join(",", Sizes) + ")";

        /// <summary>The term as C#; <paramref name="qualified"/> false names the rule without its namespace, for reading.</summary>
        public string Print(bool qualified = true)
        {
            var size = Rule is null ? string.Join(" * ", Sizes) : $"{(qualified ? "global::Dsl.Runtime.Inference.Rules." : "")}{Rule}({string.Join(", ", Sizes)})";
            return Count == 1 ? size : $"{Count} * {size}";
        }
    }

    /// <summary>A length in doubles as a sum of terms, like terms merged, printed as C# over the size locals.</summary>
    public sealed record WorkLength(IReadOnlyList<LengthTerm> Terms)
    {
        public static readonly WorkLength Zero = new(new LengthTerm[0]);

        public static WorkLength Of(params string[] sizes) => new(new[] { new LengthTerm(1, sizes) });

        public static WorkLength Needed(string rule, params string[] sizes) => new(new[] { new LengthTerm(1, sizes, rule) });

        public WorkLength Plus(WorkLength other)
        {
            var terms = Terms.ToList();
            foreach (var term in other.Terms)
            {
                var at = terms.FindIndex(t => t.Key == term.Key);
                if (at < 0) terms.Add(term);
                else terms[at] = terms[at] with { Count = terms[at].Count + term.Count };
            }
            return new WorkLength(terms);
        }

        public string Print(bool qualified = true) => Terms.Count == 0 ? "0" : string.Join(" + ", Terms.Select(t => t.Print(qualified)));
    }

    /// <summary>
    /// One named stretch of a block's workspace, what it holds, and whether the sweep takes it only on a recorded sweep
    /// (the rest of the time it is the empty span, and nothing is written to it).
    /// </summary>
    public sealed record WorkSegment(string Name, WorkLength Length, string Holds, bool RecordedOnly = false);

    /// <summary>
    /// The doubles a Gibbs-EM block's sweep of one replicate takes from its thread's workspace: its segments laid end to
    /// end, none shared, so that no buffer is read after another has overwritten it, with the bytes its runtime rule
    /// needs beside them. Decided here, once, so the emitter prints slices it does not have to size.
    /// </summary>
    public sealed record BlockWorkspace(IReadOnlyList<WorkSegment> Segments, WorkLength Bytes)
    {
        /// <summary>
        /// A crossed block: for the response entries one entry of its latent reads (at most <c>reads</c> of them, the
        /// product of the plates its loops run over), their covariates, predictors, responses and Pólya-Gamma draws,
        /// gathered so the draws are taken in one vectorised pass.
        /// </summary>
        public static readonly BlockWorkspace Crossed = new(new[]
        {
            new WorkSegment("covariate", WorkLength.Of("reads"), "the covariate of each entry that reads this one"),
            new WorkSegment("psi", WorkLength.Of("reads"), "its linear predictor at the current draws"),
            new WorkSegment("response", WorkLength.Of("reads"), "its response"),
            new WorkSegment("omega", WorkLength.Of("reads"), "its Pólya-Gamma draw"),
        }, WorkLength.Zero);

        public WorkLength Doubles => Segments.Aggregate(WorkLength.Zero, (total, s) => total.Plus(s.Length));

        /// <summary>Where a segment starts: the lengths of those before it.</summary>
        public WorkLength OffsetOf(WorkSegment segment) =>
            Segments.TakeWhile(s => s != segment).Aggregate(WorkLength.Zero, (total, s) => total.Plus(s.Length));

        /// <summary>
        /// An allocation block: each replicate's own profiles where they vary with it (URSM's W has one set for every
        /// bulk sample, prepared once per sweep, so none), the Dirichlet concentration, and the allocation rule's scratch.
        /// </summary>
        public static BlockWorkspace Of(AllocationBlock block, bool profilesShared)
        {
            var segments = new List<WorkSegment>();
            if (!profilesShared) segments.Add(new WorkSegment("profiles", WorkLength.Of("elements", "components"), "this replicate's profiles, component-major"));
            segments.Add(new WorkSegment("concentration", WorkLength.Of("components"), $"{block.Latent}'s Dirichlet concentration"));
            segments.Add(new WorkSegment("scratch", WorkLength.Needed("DirichletAllocation.WorkspaceDoubles", "elements", "components"), "the allocation rule's scratch"));
            return new BlockWorkspace(segments, WorkLength.Needed("DirichletAllocation.ScratchBytes", "components"));
        }

        /// <summary>
        /// A logistic block. Pólya-Gamma: the design (column-major, column j holding coefficient j's covariate at every
        /// element), the response, the Pólya-Gamma draws, the linear predictor, the coefficients with their prior means and
        /// variances, the latent-free part of psi where there is one, the Gaussian draw's scratch, and for a running-sum
        /// child the weights and the enumeration's buffers. Slice-sampled: only what the response's enumeration needs.
        /// </summary>
        public static BlockWorkspace Of(LogisticBlock block)
        {
            var segments = new List<WorkSegment>();
            if (block.Probability is null)
            {
                segments.Add(new WorkSegment("design", WorkLength.Of("elements", "dimension"), "the design, column-major: column j holds coefficient j's covariate at every element"));
                segments.Add(new WorkSegment("response", WorkLength.Of("elements"), $"{block.Response} at every element"));
                segments.Add(new WorkSegment("omega", WorkLength.Of("elements"), "the Pólya-Gamma draws"));
                segments.Add(new WorkSegment("psi", WorkLength.Of("elements"), "the linear predictor"));
                segments.Add(new WorkSegment("coefficients", WorkLength.Of("dimension"), "the coefficients, slot by slot"));
                segments.Add(new WorkSegment("priorMean", WorkLength.Of("dimension"), "their prior means"));
                segments.Add(new WorkSegment("priorVariance", WorkLength.Of("dimension"), "their prior variances"));
                if (block.Offsets.Count > 0) segments.Add(new WorkSegment("offset", WorkLength.Of("elements"), "psi's other terms: data and parameters, and any crossed coefficient at its current draw"));
                segments.Add(new WorkSegment("scratch", WorkLength.Of("dimension", "dimension").Plus(WorkLength.Of("dimension")).Plus(WorkLength.Of("dimension")), "the Gaussian draw's precision, right-hand side and noise"));
            }
            else if (block.ResponseIsLatent)
            {
                segments.Add(new WorkSegment("logOdds", WorkLength.Of("elements"), $"log p - log(1 - p) of {block.Response} at every element"));
            }
            if (block.Child is not null)
            {
                segments.Add(new WorkSegment("weights", WorkLength.Of("elements"), "the normalised weight of every element"));
                segments.Add(new WorkSegment("onProbability", WorkLength.Of("elements"), $"each element's P({block.Response} = 1 | the rest) as drawn", RecordedOnly: true));
                segments.Add(new WorkSegment("enumeration", WorkLength.Needed("NormalisedWeightEnumeration.WorkspaceDoubles", "elements"), "the enumeration's running sums"));
            }
            return new BlockWorkspace(segments, WorkLength.Zero);
        }
    }
}
