using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plans Gibbs-EM for a validated model (DESIGN.md, pipeline step 3): every latent node must be claimed by a
    /// sampling rule and every parameter by an M-step rule; the first node no rule claims is reported with the reason.
    /// Rules look only at the declaration's structure, never at names.
    /// </summary>
    public static class GibbsPlanner
    {
        /// <summary>
        /// Whether the model is a Gibbs-EM candidate at all: latent nodes the data inform (DataReach) and no networks or
        /// encoders (those are fitted by VI).
        /// </summary>
        public static bool Applies(ModelSpec spec)
        {
            var uninformed = DataReach.Uninformed(spec);
            return spec.Nodes.Any(n => n.Role == NodeRole.Latent && !uninformed.Contains(n.Name)) && !VariationalPlanner.Applies(spec);
        }

        public static Result<GibbsPlan> Plan(ModelSpec spec)
        {
            var planner = new Planner(spec);
            return planner.Run();
        }

        private sealed class Planner
        {
            private readonly ModelSpec spec;
            private readonly List<AllocationBlock> allocations = new();
            private readonly List<LogisticBlock> logistics = new();
            private readonly List<CrossedBlock> crossedBlocks = new();
            private readonly HashSet<string> claimed = new();
            private DiagnosticInfo? failure;

            public Planner(ModelSpec spec) { this.spec = spec; }

            public Result<GibbsPlan> Run()
            {
                // The exact updates count every entry of an observation; missing entries would need their own conditional.
                foreach (var node in spec.Nodes.Where(n => n.Declaration.Constraints.Missing is not null))
                {
                    Fail(node, "its missing entries ([MeasuredWhere] or [ZerosMissing]) are not supported by the Gibbs-EM rules yet (NUTS and maximum likelihood skip them)");
                    return Failed();
                }
                // A node no observation depends on (DSL0309) changes nothing the data inform: the sweep and the M-step skip it.
                var uninformed = DataReach.Uninformed(spec);
                foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Latent && !uninformed.Contains(n.Name)))
                {
                    if (claimed.Contains(node.Name)) continue;
                    if (!TryAllocation(node) && failure is null && !TryLogistic(node) && failure is null)
                        Fail(node, "no rule claims it (Gibbs-EM samples Dirichlet mixing weights of a multinomial mixture, Normal coefficients of a logistic-link Bernoulli, latents with a continuous prior inside any Bernoulli's probability by slice sampling, and binary latents that switch multinomial entries)");
                    if (failure is not null) return Failed();
                }
                var closedForms = new List<ClosedFormUpdate>();
                var gradients = new List<GradientUpdate>();
                foreach (var parameter in spec.Nodes.Where(n => n.Role == NodeRole.Param && !uninformed.Contains(n.Name)))
                {
                    if (TryClosedForm(parameter) is { } closed) closedForms.Add(closed);
                    else if (TryGradient(parameter) is { } gradient) gradients.Add(gradient);
                    if (failure is not null) return Failed();
                }
                var observed = spec.Nodes.Where(n => n.Role == NodeRole.Observed).Select(n => n.Name).ToEquatableArray();
                var plan = new GibbsPlan(allocations.ToEquatableArray(), logistics.ToEquatableArray(), crossedBlocks.ToEquatableArray(), closedForms.ToEquatableArray(), gradients.ToEquatableArray(), observed);
                return new Result<GibbsPlan>(plan, EquatableArray<DiagnosticInfo>.Empty);
            }

            private Result<GibbsPlan> Failed() => new(null, EquatableArray.Of(failure!));

            private void Fail(NodeSpec node, string why) =>
                failure ??= DiagnosticInfo.Create(DiagnosticDescriptors.NoGibbsRule, node.Declaration.Location, spec.ClassName, node.Name, why);

            private NodeSpec Node(string name) => ExprTools.Find(spec, name)!;

            /// <summary>Stochastic children: nodes whose distribution mentions the node once deterministic nodes are inlined.</summary>
            private List<NodeSpec> Children(string name) =>
                spec.Nodes.Where(n => n.Declaration.Distribution is { } d && d.Arguments.Any(a => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), name))).ToList();

            private bool IsLatent(Expr e) => ExprTools.Mentions(e, spec, NodeRole.Latent);

            // ---- Rule: Dirichlet mixing weights with allocation augmentation -------------------------------------------------

            private bool TryAllocation(NodeSpec w)
            {
                var distribution = w.Declaration.Distribution!;
                if (distribution.Name != "Dirichlet") return false;
                if (w.Indices.Count != 2)
                {
                    Fail(w, "a Dirichlet latent needs exactly two indices here: the plate it is a vector over and one replicate plate");
                    return true;
                }
                var mixture = w.Indices.First(i => i.Variable == distribution.Over || i.Plate == distribution.Over);
                var replicate = w.Indices.First(i => i != mixture);
                var concentration = ExprTools.Argument(w, "concentration", spec)!;
                if (IsLatent(concentration)) { Fail(w, "its concentration depends on a latent node"); return true; }
                var children = Children(w.Name);
                if (children.Count != 1 || children[0].Declaration.Distribution is not { Name: "Multinomial" } childDistribution)
                {
                    Fail(w, "its only child must be one multinomial whose probabilities mix it, p = Sum((k) => profile(i, k) * w(k, r))");
                    return true;
                }
                var child = children[0];
                var p = ExprTools.Argument(child, "p", spec);
                var element = child.Indices.FirstOrDefault(i => i.Variable == childDistribution.Over || i.Plate == childDistribution.Over);
                if (p is not SumExpr { Over: var over } || element is null || over.Plate != mixture.Plate || child.Indices.Count != 2)
                {
                    Fail(w, $"child '{child.Name}' must be a multinomial over one plate, with p = Sum((k) => profile(i, k) * {w.Name}(k, r))");
                    return true;
                }
                var factors = ExprTools.Factors(over.Body);
                var mine = factors.Where(f => ExprTools.Mentions(f, w.Name)).ToList();
                var childReplicate = child.Indices.First(i => i != element);
                var expected = new NodeCallExpr(w.Name, w.Indices.Select(i => i == mixture ? (Expr)new IndexExpr(over.Variable, w.Declaration.Location) : new IndexExpr(childReplicate.Variable, w.Declaration.Location)).ToEquatableArray(), w.Declaration.Location);
                if (mine.Count != 1 || !ExprTools.SameShape(mine[0], expected) || childReplicate.Plate != replicate.Plate)
                {
                    Fail(w, $"child '{child.Name}' must mix it as a factor {Print(expected)} of its probability sum");
                    return true;
                }
                var profile = ExprTools.Product(factors.Where(f => f != mine[0]).ToList(), over.Body);
                if (IsLatent(profile)) { Fail(w, $"the profile in child '{child.Name}' depends on a latent node"); return true; }
                // Name the profile and concentration in the block's own index variables: mixture k, element i, replicate r.
                var bound = new Dictionary<string, Expr>
                {
                    [over.Variable] = new IndexExpr(mixture.Variable, over.Location),
                    [childReplicate.Variable] = new IndexExpr(replicate.Variable, over.Location),
                };
                allocations.Add(new AllocationBlock(
                    allocations.Count, w.Name, mixture, replicate, child.Name, element,
                    ExprTools.Substitute(profile, bound), concentration, w.Declaration.Location.Line));
                claimed.Add(w.Name);
                return true;
            }

            private static string Print(Expr e) => Emit.ExprPrinter.Print(e);

            // ---- Rule: Polya-Gamma augmentation of a logistic Bernoulli (+ enumeration of a binary latent response) ----------
            // ---- Rule: slice sampling of latents behind any other link or prior (+ the same enumeration) ----------------------

            private bool TryLogistic(NodeSpec node)
            {
                // The node is either a latent coefficient of some Bernoulli response, or a binary latent response itself.
                var response = node.Declaration.Distribution!.Name == "Bernoulli" ? node
                    : Children(node.Name).FirstOrDefault(c => c.Declaration.Distribution?.Name == "Bernoulli");
                if (response is null) return false;
                var psi = LinearPredictor(response);
                var slots = new List<CoefficientSlot>();
                var slotTerms = new List<Expr>();
                var offsets = new List<Expr>();
                var conjugate = psi is not null;
                foreach (var term in psi is null ? new List<Expr>() : ExprTools.Terms(psi))
                {
                    // A term free of latents is a known offset of psi at the current parameters.
                    if (!IsLatent(term)) offsets.Add(term);
                    else if (Slot(term) is { } slot) { slots.Add(slot); slotTerms.Add(term); }
                    else conjugate = false;
                }
                Expr? probability = null;
                // Without latent coefficients there is nothing for the augmentation to sample: the probability is
                // known given the parameters, and the slice rule's path (with no latents) enumerates the response.
                if (slots.Count == 0) conjugate = false;
                if (!conjugate)
                {
                    // No augmentation applies: each latent in the probability is slice-sampled from its full conditional.
                    (slots, probability) = (SliceSlots(response)!, Probability(response));
                    offsets.Clear();
                    if (failure is not null) return true;
                }
                var replicates = slots.Select(s => Node(s.Latent)).SelectMany(l => l.Indices.Where(i => slots.All(s => s.Over?.Plate != i.Plate))).Select(i => i.Plate).Distinct().ToList();
                // A coefficient that one replicate's block cannot own: indexed by another plate, or shared by all replicates.
                var shared = replicates.Count == 1 ? slots.FirstOrDefault(s => Node(s.Latent).Indices.All(i => i.Plate != replicates[0])) : null;
                var crossed = new List<CoefficientSlot>();
                if (replicates.Count > 1 || shared is not null)
                {
                    if (!conjugate)
                    {
                        Fail(response, shared is null
                            ? $"its coefficients are indexed by several plates ({string.Join(", ", replicates)}); without Pólya-Gamma augmentation (a link other than the logistic, or a latent without a Normal prior in a term of its own) one replicate plate is supported"
                            : $"its probability reads '{shared.Latent}', one value for every {replicates[0]}, beside latents of each {replicates[0]}; without Pólya-Gamma augmentation (a link other than the logistic, or a latent without a Normal prior in a term of its own) the latents must all be per-replicate or all shared");
                        return true;
                    }
                    if (!TryCrossed(response, slots, slotTerms, offsets, crossed)) return true;
                    replicates = new List<string> { Node(slots[0].Latent).Indices[0].Plate };
                }
                var replicate = replicates.Count == 1 ? response.Indices.FirstOrDefault(i => i.Plate == replicates[0]) : ChildReplicate(response);
                if (replicates.Count == 1 && replicate is null) { Fail(response, $"its coefficients vary over plate {replicates[0]}, which the response is not indexed by"); return true; }
                var elements = response.Indices.Where(i => i != replicate).ToList();
                if (elements.Count != 1) { Fail(response, "a Bernoulli response of sampled latents needs exactly one plate besides their replicate plate"); return true; }

                foreach (var slot in slots.Concat(crossed))
                {
                    var latent = Node(slot.Latent);
                    var others = Children(latent.Name).Where(c => c != response).ToList();
                    if (others.Count > 0) { Fail(latent, $"it is a latent of '{response.Name}''s probability but also informs '{others[0].Name}'"); return true; }
                    if (IsLatent(slot.PriorMean) || IsLatent(slot.PriorSd)) { Fail(latent, "its prior depends on a latent node"); return true; }
                    if (IsLatent(slot.Coefficient)) { Fail(latent, "its covariate in the linear predictor depends on a latent node"); return true; }
                }

                NormalisedWeightChild? child = null;
                var isLatent = response.Role == NodeRole.Latent;
                if (isLatent && !TryNormalisedWeightChild(response, elements[0], out child)) return true;

                var primary = new LogisticBlock(logistics.Count, response.Name, isLatent, replicate, elements[0], slots.ToEquatableArray(), offsets.ToEquatableArray(), child, probability, response.Declaration.Location.Line);
                logistics.Add(primary);
                foreach (var slot in slots) claimed.Add(slot.Latent);
                // A latent in several terms (g(i) + g(i)·x(l)) is one crossed block whose covariate is the terms' sum.
                foreach (var terms in crossed.GroupBy(c => c.Latent))
                {
                    var latent = Node(terms.Key);
                    var coefficient = terms.Select(c => c.Coefficient).Aggregate((a, b) => new BinaryExpr('+', a, b, b.Location));
                    crossedBlocks.Add(new CrossedBlock(crossedBlocks.Count, latent.Name, primary, (NodeCallExpr)terms.First().LatentCall, coefficient,
                        ExprTools.Argument(latent, "mean", spec)!, ExprTools.Argument(latent, "sd", spec)!, psi!, latent.Declaration.Location.Line));
                    claimed.Add(latent.Name);
                }
                if (isLatent) claimed.Add(response.Name);
                return true;
            }

            /// <summary>
            /// Splits a logistic predictor whose coefficients no one replicate plate owns (a gene effect beside per-cell
            /// coefficients, a shared intercept, a per-type effect read through each cell's type): the coefficients read
            /// at one of the response's own indices, the plate a latent response's running-sum child does not run over
            /// where there is one, stay in <paramref name="slots"/> for the primary block; the others move to
            /// <paramref name="crossed"/>, their terms to the primary's offsets (read at their current draws), and each is
            /// drawn after the primary block from every entry that reads it (<see cref="CrossedBlock"/>).
            /// </summary>
            private bool TryCrossed(NodeSpec response, List<CoefficientSlot> slots, List<Expr> slotTerms, List<Expr> offsets, List<CoefficientSlot> crossed)
            {
                if (slots.FirstOrDefault(s => s.Over is not null) is { } vector)
                {
                    Fail(response, $"its coefficients are not all owned by one replicate plate, and '{vector.Latent}' is a vector summed over {vector.Over!.Plate}; crossed blocks draw single coefficients only");
                    return false;
                }
                IndexDecl? Direct(CoefficientSlot s) => ((NodeCallExpr)s.LatentCall).Indices is { Count: 1 } at && at[0] is IndexExpr index ? response.Indices.FirstOrDefault(r => r.Variable == index.Name) : null;
                var replicate = response.Role == NodeRole.Latent ? ChildReplicate(response) : slots.Select(Direct).FirstOrDefault(d => d is not null);
                if (replicate is null || response.Indices.Count != 2 || !slots.Any(s => Direct(s)?.Plate == replicate.Plate))
                {
                    Fail(response, "its coefficients are not all owned by one replicate plate, and no coefficient is read at one of its two indices to own them; crossed blocks need a response over two plates with per-replicate coefficients beside the others");
                    return false;
                }
                for (var n = slots.Count - 1; n >= 0; n--)
                {
                    if (Direct(slots[n])?.Plate == replicate.Plate) continue;
                    if (crossed.FirstOrDefault(c => c.Latent == slots[n].Latent) is { } same && !ExprTools.SameShape(same.LatentCall, slots[n].LatentCall))
                    {
                        Fail(response, $"its predictor reads '{slots[n].Latent}' at different entries; a crossed block draws a coefficient read one way");
                        return false;
                    }
                    crossed.Insert(0, slots[n]);
                    offsets.Add(slotTerms[n]);
                    slots.RemoveAt(n);
                    slotTerms.RemoveAt(n);
                }
                return true;
            }

            private Expr? LinearPredictor(NodeSpec response)
            {
                if (ExprTools.Argument(response, "logit", spec) is { } logit) return logit;
                return ExprTools.Argument(response, "p", spec) is FunctionExpr { Function: "Logistic" } f ? f.Arguments[0] : null;
            }

            /// <summary>
            /// With no latent to fix a replicate plate, a latent two-plate response is enumerated row by row of its
            /// multinomial child: the replicate is the plate the child does not run over.
            /// </summary>
            private IndexDecl? ChildReplicate(NodeSpec response)
            {
                if (response.Role != NodeRole.Latent || response.Indices.Count != 2) return null;
                var child = Children(response.Name).FirstOrDefault(c => c.Declaration.Distribution?.Name == "Multinomial");
                if (child?.Declaration.Distribution is not { } multinomial) return null;
                var over = child.Indices.FirstOrDefault(i => i.Variable == multinomial.Over || i.Plate == multinomial.Over);
                return over is null ? null : response.Indices.FirstOrDefault(i => i.Plate != over.Plate);
            }

            /// <summary>The response's probability, whichever argument declares it.</summary>
            private Expr Probability(NodeSpec response) =>
                ExprTools.Argument(response, "p", spec) ?? new FunctionExpr("Logistic", EquatableArray.Of(ExprTools.Argument(response, "logit", spec)!), response.Declaration.Location);

            /// <summary>A term of psi that is a covariate times one Normal latent coefficient, or null.</summary>
            private CoefficientSlot? Slot(Expr term)
            {
                IndexDecl? over = null;
                var body = term;
                if (term is SumExpr sum)
                {
                    over = new IndexDecl(sum.Over.Variable, sum.Over.Plate, sum.Location);
                    body = sum.Over.Body;
                }
                var factors = ExprTools.Factors(body);
                var latents = factors.Where(IsLatent).ToList();
                if (latents.Count != 1 || latents[0] is not NodeCallExpr call || Node(call.Node) is not { Role: NodeRole.Latent, Declaration.Distribution.Name: "Normal" } latent)
                    return null;
                var bindings = ExprTools.Bindings(latent, call);
                return new CoefficientSlot(
                    latent.Name,
                    ExprTools.Product(factors.Where(f => f != call).ToList(), term),
                    ExprTools.Substitute(ExprTools.Argument(latent, "mean", spec)!, bindings),
                    ExprTools.Substitute(ExprTools.Argument(latent, "sd", spec)!, bindings),
                    over,
                    call);
            }

            /// <summary>
            /// The latents of a probability that no augmentation covers: each must be a scalar latent with a proper
            /// continuous prior, read at the response's own indices, one value per replicate, so that its full
            /// conditional is its prior times the response's Bernoulli terms in that replicate. A slice slot's
            /// covariate is 1 (never read), its PriorMean the prior's centre (the start) and its PriorSd the prior's
            /// scale (the first slice width).
            /// </summary>
            private List<CoefficientSlot>? SliceSlots(NodeSpec response)
            {
                var probability = Probability(response);
                var slots = new List<CoefficientSlot>();
                foreach (var call in ExprTools.Calls(probability).Where(c => Node(c.Node).Role == NodeRole.Latent))
                {
                    var latent = Node(call.Node);
                    if (!call.Indices.All(i => i is IndexExpr index && response.Indices.Any(r => r.Variable == index.Name)))
                    {
                        Fail(response, $"its probability reads '{Print(call)}' at indices other than its own; the slice sampler updates latents read at the response's indices");
                        return null;
                    }
                    if (slots.Any(s => s.Latent == latent.Name))
                    {
                        if (!slots.Any(s => ExprTools.SameShape(s.LatentCall, call))) { Fail(response, $"its probability reads '{latent.Name}' at different indices"); return null; }
                        continue;
                    }
                    var arguments = ExprTools.ArgumentsAt(spec, latent, call);
                    if (latent.Declaration.Distribution is not { } prior || PriorCentres.Of(prior.Name, arguments, call.Location) is not { } centre)
                    {
                        Fail(response, $"its probability reads '{latent.Name}', a {latent.Declaration.Distribution?.Name} latent; the slice sampler takes a latent with a proper continuous prior (Normal, StudentT, Cauchy, HalfNormal, HalfCauchy, HalfStudentT, LogNormal, Gamma, Exponential, InverseGamma, Beta)");
                        return null;
                    }
                    slots.Add(new CoefficientSlot(latent.Name, new ConstantExpr(1, call.Location), centre.Centre, centre.Scale, null, call));
                }
                return slots;
            }

            private bool TryNormalisedWeightChild(NodeSpec s, IndexDecl element, out NormalisedWeightChild? child)
            {
                child = null;
                var children = Children(s.Name);
                if (children.Count == 0) return true;
                if (children.Count > 1 || children[0].Declaration.Distribution is not { Name: "Multinomial" })
                {
                    Fail(s, "a binary latent is enumerated over its Markov blanket only when its one child is a multinomial with p = weight(i) * s(i) / Sum((n) => weight(n) * s(n))");
                    return false;
                }
                var y = children[0];
                if (NormalisedWeights.Weight(spec, s, element, y) is { } weight && !IsLatent(weight))
                {
                    child = new NormalisedWeightChild(y.Name, weight);
                    return true;
                }
                Fail(s, $"child '{y.Name}' must have p = weight(i) * {s.Name}(i, ..) / Sum((n) => weight(n) * {s.Name}(n, ..)) with a weight free of latent nodes");
                return false;
            }

            // ---- Rule: Normal hyperparameters in closed form ------------------------------------------------------------

            private ClosedFormUpdate? TryClosedForm(NodeSpec parameter)
            {
                // A prior of its own adds a term the closed forms leave out.
                if (parameter.Indices.Count != 0 || parameter.Declaration.Distribution is not null) return null;
                // A latent no observation depends on (DSL0309) is not sampled, so its prior is no use of the parameter.
                var uninformed = DataReach.Uninformed(spec);
                var uses = spec.Nodes.Where(n => !uninformed.Contains(n.Name) && n.Declaration.Distribution is { } d && d.Arguments.Any(a => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), parameter.Name))).ToList();
                if (uses.Count != 1 || uses[0] is not { Role: NodeRole.Latent, Declaration.Distribution.Name: "Normal" } normal) return null;
                var mean = ExprTools.Argument(normal, "mean", spec)!;
                var sd = ExprTools.Argument(normal, "sd", spec)!;
                if (mean is NodeCallExpr { Indices.Count: 0 } m && m.Node == parameter.Name && !ExprTools.Mentions(sd, parameter.Name))
                    return new ClosedFormUpdate(parameter.Name, ClosedFormKind.Mean, normal.Name, null, parameter.Declaration.Location.Line);
                if (sd is FunctionExpr { Function: "Sqrt", Arguments: var args } && args[0] is NodeCallExpr { Indices.Count: 0 } v && v.Node == parameter.Name && !ExprTools.Mentions(mean, parameter.Name))
                {
                    var meanParameter = mean is NodeCallExpr { Indices.Count: 0 } mp && Node(mp.Node).Role == NodeRole.Param ? mp.Node : null;
                    if (meanParameter is null && !(mean is ConstantExpr)) return null;
                    return new ClosedFormUpdate(parameter.Name, ClosedFormKind.Variance, normal.Name, meanParameter, parameter.Declaration.Location.Line);
                }
                return null;
            }

            // ---- Rule: projected gradient ascent on the terms that hold the parameter -------------------------------------

            private GradientUpdate? TryGradient(NodeSpec parameter)
            {
                var terms = new List<GradientTerm>();
                foreach (var block in allocations)
                {
                    CollectProfile(parameter, block, terms);
                    CollectConcentration(parameter, block, terms);
                }
                foreach (var block in logistics)
                {
                    // psi is affine in the parameter where it stands alone as covariates and offset terms: one quadratic
                    // term per block, whose statistics sum the parameter's slope over all those places.
                    var affine = new List<GradientTerm>();
                    foreach (var slot in block.Slots)
                    {
                        if (slot.Over is not null && ExprTools.Mentions(slot.Coefficient, parameter.Name))
                            Fail(parameter, $"it is a covariate inside the sum over {slot.Over.Plate} of '{block.Response}''s linear predictor; the M-step handles parameters multiplying single coefficients only");
                        CollectAffine(parameter, slot.Coefficient, block, affine);
                    }
                    foreach (var offset in block.Offsets) CollectAffine(parameter, offset, block, affine);
                    if (affine.Select(t => Print(t.Within!)).Distinct().Count() > 1)
                        Fail(parameter, $"'{block.Response}''s linear predictor holds it in different forms or entries ({string.Join(", ", affine.Select(t => Print(t.Within!)).Distinct())}); the M-step needs the predictor affine in one expression of one entry per element");
                    if (affine.Count > 0) terms.Add(affine[0]);
                    if (block.Probability is { } probability && ExprTools.Mentions(probability, parameter.Name)) CollectLinkTerm(parameter, block, probability, terms);
                    // A coefficient's prior that holds the parameter in a form no closed form covers (a regression on a
                    // covariate in its mean, a Student-t's location): its log density over the recorded draws.
                    foreach (var slot in block.Slots) CollectPriorTerm(parameter, block, slot, terms);
                    if (block.Child is { } child) CollectWeight(parameter, block, child, terms);
                }
                foreach (var block in crossedBlocks) CollectCrossedPrior(parameter, block, terms);
                foreach (var owner in spec.Nodes.Where(n => n.Role == NodeRole.Param && n.Declaration.Distribution is not null)) CollectParameterPrior(parameter, owner, terms);
                if (failure is not null) return null;
                var mentioned = spec.Nodes.Any(n => n.Declaration.Distribution is { } d && d.Arguments.Any(a => ExprTools.Mentions(ExprTools.Inline(a.Value, spec), parameter.Name)));
                if (terms.Count == 0)
                {
                    if (mentioned) Fail(parameter, "it enters the model in a form the M-step has no rule for (closed-form Normal mean or variance, a mixture profile, a Dirichlet concentration, a logistic covariate, or a multinomial weight)");
                    return null;
                }
                var constraints = parameter.Declaration.Constraints;
                var simplexPosition = constraints.Simplex ? parameter.Indices.Select((i, n) => (i, n)).First(p => p.i.Plate == constraints.SimplexOver || p.i.Variable == constraints.SimplexOver).n : -1;
                var floor = constraints.Floor ?? (constraints.Positive || constraints.Simplex ? 1e-12 : double.NegativeInfinity);
                return new GradientUpdate(parameter.Name, parameter.Indices, simplexPosition, floor, terms.ToEquatableArray(), parameter.Declaration.Location.Line);
            }

            /// <summary>
            /// A parameter inside a probability no augmentation covers: the Monte Carlo Bernoulli log-likelihood over
            /// the recorded draws, differentiated symbolically, so every read of it must be the same entry.
            /// </summary>
            private void CollectLinkTerm(NodeSpec parameter, LogisticBlock block, Expr probability, List<GradientTerm> terms)
            {
                var reads = ExprTools.Calls(probability).Where(c => c.Node == parameter.Name).ToList();
                if (reads.Any(r => !ExprTools.SameShape(r, reads[0])))
                {
                    Fail(parameter, $"'{block.Response}''s probability reads it at different entries; the M-step needs one entry per element");
                    return;
                }
                if (!Differentiable([probability], reads[0], out var why))
                {
                    Fail(parameter, $"'{block.Response}''s probability cannot be differentiated in it: {why}");
                    return;
                }
                terms.Add(new GradientTerm(GradientTermKind.BinaryLikelihood, block.Id, reads[0]));
            }

            /// <summary>
            /// A parameter in the prior of a slice-sampled latent (a Normal's closed form takes it first): the Monte
            /// Carlo log prior over the recorded draws, differentiated through the prior's arguments.
            /// </summary>
            private void CollectPriorTerm(NodeSpec parameter, LogisticBlock block, CoefficientSlot slot, List<GradientTerm> terms)
            {
                var latent = Node(slot.Latent);
                var arguments = ExprTools.ArgumentsAt(spec, latent, (NodeCallExpr)slot.LatentCall);
                var reads = arguments.SelectMany(ExprTools.Calls).Where(c => c.Node == parameter.Name).ToList();
                if (reads.Count == 0) return;
                if (reads.Any(r => !ExprTools.SameShape(r, reads[0])))
                {
                    Fail(parameter, $"the prior of '{slot.Latent}' reads it at different entries; the M-step needs one entry per replicate");
                    return;
                }
                if (slot.Over is not null)
                {
                    Fail(parameter, $"the prior of '{slot.Latent}', a coefficient summed over {slot.Over.Plate}, reads it in a form no closed form covers; the M-step keeps draws of single coefficients only");
                    return;
                }
                if (!Differentiable(arguments, reads[0], out var why))
                {
                    Fail(parameter, $"the prior of '{slot.Latent}' cannot be differentiated in it: {why}");
                    return;
                }
                terms.Add(new GradientTerm(GradientTermKind.LatentPrior, block.Id, reads[0], slot.Latent));
            }

            /// <summary>
            /// A [Param]'s declared prior (a MAP estimate): its log density at the parameter's current values, a term of
            /// the parameter's own objective and of the objective of every parameter its arguments read, differentiated
            /// through those arguments (the declaration checks keep a prior from reading its own parameter). Scalar families,
            /// and a Dirichlet over the parameter's own simplex.
            /// </summary>
            private void CollectParameterPrior(NodeSpec parameter, NodeSpec owner, List<GradientTerm> terms)
            {
                var own = ExprTools.OwnCall(owner);
                var arguments = ExprTools.ArgumentsAt(spec, owner, own);
                var reads = arguments.SelectMany(ExprTools.Calls).Where(c => c.Node == parameter.Name).ToList();
                if (owner != parameter && reads.Count == 0) return;
                var distribution = owner.Declaration.Distribution!.Name;
                var vector = DistributionCatalog.Find(distribution)!.IsVector;
                if (vector && !SimplexPriors.IsOverOwnSimplex(owner))
                    Fail(owner, $"a [Param] with a Dist.{distribution} prior: the M-step adds scalar log priors and a Dirichlet's over the plate of the parameter's own [Simplex]; make the node a [Latent], or drop the prior");
                else if (vector && !SimplexPriors.ConcentrationIsConstant(spec, owner))
                    Fail(owner, "its Dirichlet prior's concentration reads a parameter or a latent; the M-step takes concentrations of constants and data here");
                else if (owner == parameter)
                    terms.Add(new GradientTerm(GradientTermKind.ParameterPrior, 0, own, owner.Name));
                else if (reads.Any(r => !ExprTools.SameShape(r, reads[0])))
                    Fail(parameter, $"the prior of '{owner.Name}' reads it at different entries; the M-step needs one entry per entry of '{owner.Name}'");
                else if (!Differentiable(arguments, reads[0], out var why))
                    Fail(parameter, $"the prior of '{owner.Name}' cannot be differentiated in it: {why}");
                else
                    terms.Add(new GradientTerm(GradientTermKind.ParameterPrior, 0, reads[0], owner.Name));
            }

            /// <summary>
            /// A parameter in a crossed coefficient's prior that no closed form takes (a regression of gene effects on a
            /// covariate, a mean shared with another latent): the Monte Carlo log prior over the block's recorded draws,
            /// its arguments in the latent's own index variables.
            /// </summary>
            private void CollectCrossedPrior(NodeSpec parameter, CrossedBlock block, List<GradientTerm> terms)
            {
                var latent = Node(block.Latent);
                var own = new NodeCallExpr(latent.Name, latent.Indices.Select(i => (Expr)new IndexExpr(i.Variable, latent.Declaration.Location)).ToEquatableArray(), latent.Declaration.Location);
                var arguments = ExprTools.ArgumentsAt(spec, latent, own);
                var reads = arguments.SelectMany(ExprTools.Calls).Where(c => c.Node == parameter.Name).ToList();
                if (reads.Count == 0) return;
                if (reads.Any(r => !ExprTools.SameShape(r, reads[0])))
                    Fail(parameter, $"the prior of '{block.Latent}' reads it at different entries; the M-step needs one entry per entry of the latent");
                else if (!Differentiable(arguments, reads[0], out var why))
                    Fail(parameter, $"the prior of '{block.Latent}' cannot be differentiated in it: {why}");
                else terms.Add(new GradientTerm(GradientTermKind.CrossedPrior, block.Id, reads[0], block.Latent));
            }

            /// <summary>
            /// A normalised multinomial's weight that reads the parameter at one entry per element, in any expression
            /// the differentiator takes (A(i, k), A(i, k)·efficiency(i)): the term is a function of the weights, and
            /// its gradient reaches the parameter through their symbolic derivative.
            /// </summary>
            private void CollectWeight(NodeSpec parameter, LogisticBlock block, NormalisedWeightChild child, List<GradientTerm> terms)
            {
                var weight = ExprTools.Inline(child.Weight, spec);
                if (!ExprTools.Mentions(weight, parameter.Name)) return;
                var reads = ExprTools.Calls(weight).Where(c => c.Node == parameter.Name).ToList();
                if (reads.Skip(1).Any(r => !ExprTools.SameShape(r, reads[0])) || ExprTools.Subexpressions(weight).OfType<SumExpr>().Any())
                {
                    Fail(parameter, $"'{child.Observed}''s weight '{Print(weight)}' reads it at more than one entry, or inside a sum; the M-step differentiates one entry per element");
                    return;
                }
                if (!Differentiable([weight], reads[0], out var why))
                {
                    Fail(parameter, $"'{child.Observed}''s weight '{Print(weight)}' cannot be differentiated in it: {why}");
                    return;
                }
                terms.Add(new GradientTerm(GradientTermKind.NormalisedWeight, block.Id, reads[0], Within: weight));
            }

            /// <summary>
            /// A covariate or offset term of psi that is g times a factor free of the parameter, g an expression of one
            /// entry of it (delta(i), beta() with a covariate, Log(A(i, k))): psi is affine in g there, so the
            /// augmented log-likelihood is quadratic in g, and its gradient reaches the parameter through g's symbolic
            /// derivative.
            /// </summary>
            private void CollectAffine(NodeSpec parameter, Expr expr, LogisticBlock block, List<GradientTerm> terms)
            {
                if (!ExprTools.Mentions(expr, parameter.Name)) return;
                var reads = ExprTools.Calls(expr).Where(c => c.Node == parameter.Name).ToList();
                if (ExprTools.AffineSplit(expr, parameter.Name) is not { } split || reads.Skip(1).Any(r => !ExprTools.SameShape(r, reads[0]))
                    || ExprTools.Subexpressions(split.Factor).OfType<SumExpr>().Any())
                {
                    Fail(parameter, $"it appears inside '{Print(expr)}' of '{block.Response}''s linear predictor; the M-step needs the predictor affine in one expression of one entry of it (that expression times a factor free of it)");
                    return;
                }
                if (!Differentiable([split.Factor], reads[0], out var why))
                {
                    Fail(parameter, $"'{Print(split.Factor)}' in '{block.Response}''s linear predictor cannot be differentiated in it: {why}");
                    return;
                }
                terms.Add(new GradientTerm(GradientTermKind.PolyaGammaCoefficient, block.Id, reads[0], Within: split.Factor));
            }

            /// <summary>
            /// A Dirichlet concentration that reads the parameter at one entry per component (and replicate, where it
            /// differs between replicates), in any expression the differentiator takes (alpha(k), alpha(k)·s(),
            /// Exp(logAlpha(k)), alpha(k)·Exp(ageEffect()·age(j))).
            /// </summary>
            private void CollectConcentration(NodeSpec parameter, AllocationBlock block, List<GradientTerm> terms)
            {
                var concentration = block.Concentration;
                if (!ExprTools.Mentions(concentration, parameter.Name)) return;
                var calls = ExprTools.Calls(concentration).Where(c => c.Node == parameter.Name).ToList();
                if (calls.Skip(1).Any(c => !ExprTools.SameShape(c, calls[0])) || ExprTools.Subexpressions(concentration).OfType<SumExpr>().Any())
                    Fail(parameter, $"it is read at more than one entry, or inside a sum, in the concentration '{Print(concentration)}'; the M-step differentiates one entry per component");
                else terms.Add(new GradientTerm(GradientTermKind.DirichletConcentration, block.Id, calls[0], Within: concentration));
            }

            /// <summary>
            /// A mixture profile that reads the parameter at one entry per (component, element), in any expression the
            /// differentiator takes, the same for every replicate: the term sum E[z] log profile reaches the parameter
            /// through the profile's symbolic derivative.
            /// </summary>
            private void CollectProfile(NodeSpec parameter, AllocationBlock block, List<GradientTerm> terms)
            {
                var profile = ExprTools.Inline(block.Profile, spec);
                if (!ExprTools.Mentions(profile, parameter.Name)) return;
                var reads = ExprTools.Calls(profile).Where(c => c.Node == parameter.Name).ToList();
                if (reads.Skip(1).Any(r => !ExprTools.SameShape(r, reads[0])) || ExprTools.Subexpressions(profile).OfType<SumExpr>().Any())
                    Fail(parameter, $"it is read at more than one entry, or inside a sum, in the profile '{Print(profile)}' of '{block.Observed}'; the M-step differentiates one entry per component and element");
                else if (ExprTools.UsesIndex(profile, block.Replicate.Variable))
                    Fail(parameter, $"the profile '{Print(profile)}' of '{block.Observed}' differs between replicates of {block.Replicate.Plate}; the M-step takes one profile per component");
                else if (!Differentiable([profile], reads[0], out var why))
                    Fail(parameter, $"the profile '{Print(profile)}' of '{block.Observed}' cannot be differentiated in it: {why}");
                else terms.Add(new GradientTerm(GradientTermKind.AllocationProfile, block.Id, reads[0], Within: profile));
            }

            /// <summary>Whether the differentiator takes every expression's derivative in the entry; why not otherwise.</summary>
            private static bool Differentiable(IEnumerable<Expr> exprs, NodeCallExpr read, out string? why)
            {
                why = null;
                try
                {
                    foreach (var expr in exprs) Differentiation.Derivative(expr, read);
                    return true;
                }
                catch (System.NotSupportedException e)
                {
                    why = e.Message;
                    return false;
                }
            }
        }
    }
}