using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Emit;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plans variational inference for a model with encoders and networks (DESIGN.md, pipeline step 3): every
    /// latent is a reparameterised Normal or LogNormal factor from its encoder, every observation a scalar
    /// likelihood whose arguments the planner differentiates with respect to each latent, network output and
    /// parameter they read. The first thing no rule covers is reported with the reason. Rules read structure only.
    /// </summary>
    public static partial class VariationalPlanner
    {
        /// <summary>Count families with a vectorised row kernel (CountLikelihoodRows).</summary>
        private static readonly string[] countFamilies = { "ZeroInflatedNegativeBinomial", "NegativeBinomial", "Poisson" };

        /// <summary>Priors of global latents with a log density and a support the guide maps to the reals by identity, log or logit.</summary>
        private static readonly string[] priorDensities =
        {
            "Normal", "LogNormal", "Gamma", "InverseGamma", "Beta", "Exponential", "HalfNormal", "Cauchy", "HalfCauchy", "StudentT", "HalfStudentT",
        };

        /// <summary>Other scalar families, whose log density and partials the runtime's LogDensity computes entry by entry: the continuous priors' and two discrete ones.</summary>
        private static readonly string[] entryDensities = priorDensities.Concat(new[] { "Bernoulli", "Binomial" }).ToArray();

        /// <summary>Whether the model is fitted by variational inference: it declares networks or encoders.</summary>
        public static bool Applies(ModelSpec spec) =>
            spec.Nodes.Any(n => n.Role == NodeRole.Network || n.Declaration.Encoder is not null);

        /// <summary>
        /// The plan of the model with its Gamma-Poisson pairs integrated out (<see cref="GammaPoissonCollapse"/>); the
        /// emitters print it over <see cref="Integrated"/>.
        /// </summary>
        public static Result<JointVariationalPlan> Plan(ModelSpec spec)
        {
            var (integrated, collapsed) = GammaPoissonCollapse.Apply(spec);
            var result = new Planner(integrated).Run();
            if (result.Value is not { } plan) return result;
            // Mixture allocations are summed out of the priors that read them, so they too have no draws.
            var summed = plan.Parts.SelectMany(p => p.Latents).Where(l => l.Mixture is not null).Select(l => l.Mixture!.Allocation);
            return new Result<JointVariationalPlan>(plan with { IntegratedOut = collapsed.Concat(summed).ToEquatableArray() }, result.Diagnostics);
        }

        /// <summary>The model the variational plan and emitters work on: the declared one with its Gamma-Poisson pairs integrated out.</summary>
        public static ModelSpec Integrated(ModelSpec spec) => GammaPoissonCollapse.Apply(spec).Spec;

        private sealed partial class Planner
        {
            private readonly ModelSpec spec;
            private readonly List<string> cellPlates;
            private DiagnosticInfo? failure;

            public Planner(ModelSpec spec)
            {
                this.spec = spec;
                // Minibatches are drawn over the plates networks and encoders are applied over: one part per plate.
                cellPlates = spec.Nodes.Where(n => (n.Role == NodeRole.Network || n.Declaration.Encoder is not null) && n.Indices.Count > 0)
                    .Select(n => n.Indices[0].Plate).Distinct().ToList();
            }

            public Result<JointVariationalPlan> Run()
            {
                var latents = new List<EncodedLatent>();
                var networks = new List<NetworkNode>();
                var likelihoods = new List<LikelihoodTerm>();
                // A latent or parameter no observation depends on (DSL0309) is left out: nothing it could be fitted to.
                var uninformed = DataReach.Uninformed(spec);
                foreach (var node in spec.Nodes.Where(n => !(uninformed.Contains(n.Name) && n.Declaration.Encoder is null)))
                {
                    switch (node.Role)
                    {
                        case NodeRole.Latent when node.Declaration.Encoder is null:
                            // A global latent, planned after this pass; one over a cell plate is refused at once, at its own line,
                            // unless it is a mixture allocation, summed out of the prior that reads it.
                            if (IsMixtureAllocation(node)) break;
                            if (node.Indices.FirstOrDefault(i => cellPlates.Contains(i.Plate)) is { } cell) Fail(node, PerCellWithoutEncoder(cell.Plate));
                            break;
                        case NodeRole.Latent when Latent(node) is { } latent:
                            latents.Add(latent);
                            break;
                        case NodeRole.Network when Network(node) is { } network:
                            networks.Add(network);
                            break;
                        case NodeRole.Observed when Likelihood(node) is { } likelihood:
                            likelihoods.Add(likelihood);
                            break;
                    }
                    if (failure is not null) return Failed();
                }
                CheckSharedLastLayers(latents);
                if (failure is not null) return Failed();
                var globals = new List<GlobalLatent>();
                foreach (var node in spec.Nodes.Where(n => n.Role == NodeRole.Latent && n.Declaration.Encoder is null && !uninformed.Contains(n.Name) && !IsMixtureAllocation(n)))
                {
                    if (cellPlates.Count > 1)
                        Fail(node, $"global latents (without an encoder) are not supported yet in a model over several cell plates ({string.Join(", ", cellPlates)})");
                    else if (Global(node) is { } global) globals.Add(global);
                    if (failure is not null) return Failed();
                }
                var parameters = new List<FittedParameter>();
                var fitted = spec.Nodes.Where(n => n.Role == NodeRole.Param && !uninformed.Contains(n.Name)).ToList();
                foreach (var parameter in fitted)
                {
                    if (!likelihoods.Any(l => l.Arguments.Any(a => ReadsParameter(a, parameter.Name))) && !ReadByPrior(latents, globals, parameter.Name) &&
                            !fitted.Any(other => other != parameter && ReadByParameterPrior(other, parameter.Name)))
                        Fail(parameter, "only parameters that observation arguments or priors read are fitted by gradient here");
                    else if (parameter.Declaration.Constraints.SimplexOver is { } over)
                    {
                        var axis = parameter.Indices.ToList().FindIndex(i => i.Plate == over);
                        parameters.Add(new FittedParameter(parameter.Name, false, new SimplexAxis(over, parameter.Indices.Skip(axis + 1).Select(i => i.Plate).ToEquatableArray()),
                            parameter.Declaration.Distribution is null ? null : SimplexPrior(parameter, over)));
                    }
                    else
                        parameters.Add(new FittedParameter(parameter.Name, parameter.Declaration.Constraints.Positive, Prior: parameter.Declaration.Distribution is null ? null : Prior(parameter)));
                    if (failure is not null) return Failed();
                }
                if (likelihoods.Count == 0)
                    return new Result<JointVariationalPlan>(null, EquatableArray<DiagnosticInfo>.Empty);
                var parts = new List<VariationalPlan>();
                foreach (var plate in cellPlates)
                {
                    string Cell(string node) => ExprTools.Find(spec, node)!.Indices[0].Plate;
                    var ownLikelihoods = likelihoods.Where(l => Cell(l.Node) == plate).ToEquatableArray();
                    if (ownLikelihoods.Count == 0)
                    {
                        Fail(spec.Nodes.First(n => n.Indices.Count > 0 && n.Indices[0].Plate == plate && (n.Role == NodeRole.Network || n.Declaration.Encoder is not null)),
                            $"no observation lies on its cell plate {plate}, so nothing there is fitted; give {plate} an [Observed] node or move the node to the plate of one");
                        return Failed();
                    }
                    var ownLatents = latents.Where(l => Cell(l.Node) == plate).ToEquatableArray();
                    // (Global latents exist only in a model over one cell plate, so they are this part's.)
                    var ownParameters = parameters.Where(p => ownLikelihoods.Any(l => l.Arguments.Any(a => ReadsParameter(a, p.Node))) ||
                        ReadByPrior(ownLatents, globals, p.Node) || parameters.Any(other => other.Prior is { } prior && prior.Arguments.Any(a => ExprTools.Mentions(a.Value, p.Node)))).ToEquatableArray();
                    parts.Add(new VariationalPlan(plate, ownLatents, networks.Where(n => Cell(n.Node) == plate).ToEquatableArray(), ownLikelihoods, ownParameters,
                        globals.ToEquatableArray()) { IsPart = cellPlates.Count > 1 });
                }
                var adversaries = Adversaries(latents);
                if (failure is not null) return Failed();
                return new Result<JointVariationalPlan>(new JointVariationalPlan(parts.ToEquatableArray()) { Adversaries = adversaries }, EquatableArray<DiagnosticInfo>.Empty);
            }

            /// <summary>Whether an encoded latent's prior (mean or sd) or a global latent's prior argument reads the parameter.</summary>
            private static bool ReadByPrior(IEnumerable<EncodedLatent> latents, IEnumerable<GlobalLatent> globals, string parameter) =>
                latents.Any(l => ExprTools.Mentions(l.PriorMean, parameter) || ExprTools.Mentions(l.PriorSd, parameter) || l.Mixture is { } m && ExprTools.Mentions(m.Weight, parameter)) ||
                globals.Any(g => g.PriorArguments.Any(a => ExprTools.Mentions(a.Value, parameter)));

            private static bool ReadsParameter(LikelihoodArgument argument, string parameter) =>
                ExprTools.Mentions(argument.Value, parameter) || argument.RowSums.Any(r => ExprTools.Mentions(r.Over.Body, parameter));

            private Result<JointVariationalPlan> Failed() => new(null, EquatableArray.Of(failure!));

            private void Fail(NodeSpec node, string why) =>
                failure ??= DiagnosticInfo.Create(DiagnosticDescriptors.NoVariationalRule, node.Declaration.Location, spec.ClassName, node.Name, why);

            /// <summary>Minibatches are drawn over the cell plates: every latent, network and observation must start with one.</summary>
            private bool OnBatchPlate(NodeSpec node, int maxIndices)
            {
                if (node.Indices.Count == 0 || node.Indices.Count > maxIndices)
                {
                    Fail(node, maxIndices == 1
                        ? "it must be indexed by the plate minibatches are drawn over (cells) and nothing else"
                        : "it must be indexed by the plate minibatches are drawn over (cells), then at most one more plate");
                    return false;
                }
                if (cellPlates.Contains(node.Indices[0].Plate)) return true;
                Fail(node, $"its first plate is {node.Indices[0].Plate} but minibatches are drawn over {string.Join(" and ", cellPlates)}, the plates networks and encoders are applied over");
                return false;
            }

            /// <summary>
            /// A latent without an encoder gets ADVI's mean-field Gaussian guide when it lies outside the cell plate,
            /// is continuous, and its prior has a log density on a support mapped to the real line by log or logit.
            /// </summary>
            private GlobalLatent? Global(NodeSpec node)
            {
                var distribution = node.Declaration.Distribution!;
                var family = DistributionCatalog.Find(distribution.Name)!;
                string? why = null;
                if (node.Indices.FirstOrDefault(i => cellPlates.Contains(i.Plate)) is { } cell)
                    why = PerCellWithoutEncoder(cell.Plate);
                else if (node.Kind != ValueKind.Real)
                    why = "a discrete latent has no reparameterised guide; variational inference needs continuous latents";
                else if (family.IsVector || !priorDensities.Contains(distribution.Name) || node.Declaration.Constraints.Ordered)
                    why = $"a global latent with a Dist.{distribution.Name}{(node.Declaration.Constraints.Ordered ? ", [Ordered]" : "")} prior has no mean-field guide yet (priors on the reals, the positive reals or (0, 1): {string.Join(", ", priorDensities)})";
                if (why is not null)
                {
                    Fail(node, why);
                    return null;
                }
                if (GlobalPriorArguments(node) is not { } arguments) return null;
                var transform = family.Draws switch
                {
                    Support.Positive => LatentTransform.Log,
                    Support.UnitInterval => LatentTransform.Logit,
                    _ => LatentTransform.Identity,
                };
                return new GlobalLatent(node.Name, transform, distribution.Name, arguments, node.Declaration.Location.Line);
            }

            /// <summary>
            /// A [Param]'s declared prior, its log density added to the objective (a MAP estimate): a scalar family with a
            /// log density, its arguments read as a global latent's are. Not in a model over several cell plates, whose
            /// parts would each count it.
            /// </summary>
            private ParameterPrior? Prior(NodeSpec node)
            {
                var distribution = node.Declaration.Distribution!;
                var family = DistributionCatalog.Find(distribution.Name)!;
                if (cellPlates.Count > 1)
                    Fail(node, $"a prior on a [Param] is not used yet in a model over several cell plates ({string.Join(", ", cellPlates)}); make the node a [Latent], or drop the prior");
                else if (family.IsVector || !priorDensities.Contains(distribution.Name))
                    Fail(node, $"a [Param] with a Dist.{distribution.Name} prior: variational inference adds the log priors of {string.Join(", ", priorDensities)}; make the node a [Latent], or drop the prior");
                else if (GlobalPriorArguments(node) is { } arguments)
                    return new ParameterPrior(distribution.Name, arguments, node.Declaration.Location.Line);
                return null;
            }

            /// <summary>
            /// A [Simplex] parameter's declared prior: a Dirichlet over the simplex's own plate whose concentration reads
            /// constants and data only (its normaliser is then constant, the term (c − 1)·log θ per entry).
            /// </summary>
            private ParameterPrior? SimplexPrior(NodeSpec node, string over)
            {
                var distribution = node.Declaration.Distribution!;
                var axis = node.Indices.FirstOrDefault(i => i.Variable == distribution.Over || i.Plate == distribution.Over);
                if (cellPlates.Count > 1)
                    Fail(node, $"a prior on a [Param] is not used yet in a model over several cell plates ({string.Join(", ", cellPlates)}); make the node a [Latent], or drop the prior");
                else if (!SimplexPriors.IsOverOwnSimplex(node))
                    Fail(node, $"a [Simplex] parameter's prior must be a Dirichlet over its simplex's plate {over}, not Dist.{distribution.Name}{(axis is null ? "" : $" over {axis.Plate}")}; drop the prior or change it");
                else if (!SimplexPriors.ConcentrationIsConstant(spec, node))
                    Fail(node, "its Dirichlet prior's concentration reads a parameter or a latent; variational inference takes concentrations of constants and data here");
                else if (GlobalPriorArguments(node) is { } arguments)
                    return new ParameterPrior(distribution.Name, arguments, node.Declaration.Location.Line);
                return null;
            }

            /// <summary>A global node's prior arguments with their partials: constants, data, parameters and global latents only (no Sum).</summary>
            private EquatableArray<LikelihoodArgument>? GlobalPriorArguments(NodeSpec node)
            {
                var distribution = node.Declaration.Distribution!;
                var family = DistributionCatalog.Find(distribution.Name)!;
                var arguments = new List<LikelihoodArgument>();
                foreach (var parameter in family.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)))
                {
                    var value = ExprTools.Argument(node, parameter.Name, spec)!;
                    if (ContainsSum(value) || ExprTools.Calls(value).Any(c => ExprTools.Find(spec, c.Node) is { } read &&
                            (read.Role is NodeRole.Network or NodeRole.Observed || read.Role == NodeRole.Latent && read.Declaration.Encoder is not null)))
                    {
                        Fail(node, $"its prior's argument '{parameter.Name}' may read constants, data, parameters and other global latents only (no Sum)");
                        return null;
                    }
                    arguments.Add(new LikelihoodArgument(parameter.Name, value, Partials(value).ToEquatableArray()));
                }
                return arguments.ToEquatableArray();
            }

            /// <summary>Whether the declared prior of another [Param] reads the parameter.</summary>
            private bool ReadByParameterPrior(NodeSpec other, string parameter) =>
                other.Declaration.Distribution is { } distribution &&
                distribution.Arguments.Any(a => ExprTools.Argument(other, a.Name, spec) is { } value && ExprTools.Mentions(value, parameter));

            /// <summary>
            /// An encoded latent with another continuous prior: a Normal factor (log-normal for a prior on the positive
            /// reals) from the encoder, and a one-sample Monte Carlo KL that scores the reparameterised sample under the
            /// prior's log density. The prior's arguments may read data and constants.
            /// </summary>
            private EncodedLatent? MonteCarloLatent(NodeSpec node, NetworkDecl encoder)
            {
                var distribution = node.Declaration.Distribution!;
                var family = DistributionCatalog.Find(distribution.Name)!;
                if (family.IsVector || !priorDensities.Contains(distribution.Name) || family.Draws is not (Support.Real or Support.Positive))
                {
                    Fail(node, $"its prior is {distribution.Name}; an encoded latent needs a prior on the reals or the positive reals with a log density ({string.Join(", ", priorDensities.Where(d => d != "Beta"))})");
                    return null;
                }
                var arguments = family.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)).Select(p => ExprTools.Argument(node, p.Name, spec)!).ToList();
                if (arguments.Any(a => ContainsSum(a) || ExprTools.Mentions(a, spec, NodeRole.Latent, NodeRole.Param, NodeRole.Network, NodeRole.Observed)))
                {
                    Fail(node, $"its {distribution.Name} prior's arguments may read data and constants only (a learned prior needs a Normal or LogNormal one)");
                    return null;
                }
                var inputs = Inputs(node, encoder, encoding: true);
                if (inputs is null) return null;
                var item = node.Indices.Count == 2 ? node.Indices[1].Plate : null;
                var placeholder = new ConstantExpr(0, node.Declaration.Location);
                return new EncodedLatent(node.Name, family.Draws == Support.Positive, item, placeholder, placeholder, EquatableArray<PartialDerivative>.Empty,
                    EquatableArray<PartialDerivative>.Empty, inputs.Value, encoder, node.Declaration.Location.Line)
                {
                    PriorKernel = distribution.Name,
                    PriorArguments = arguments.ToEquatableArray(),
                };
            }

            private static string PerCellWithoutEncoder(string cells) =>
                $"a latent over the cell plate {cells} needs an [Encoder] for variational inference (its amortised posterior); only latents outside it get a mean-field guide, " +
                "and a Gamma one that a single Poisson count reads as a factor of its rate, at its own entry, is integrated out instead";

            private EncodedLatent? Latent(NodeSpec node)
            {
                var encoder = node.Declaration.Encoder!;
                if (!OnBatchPlate(node, 2)) return null;
                var distribution = node.Declaration.Distribution!;
                if (distribution.Name is not ("Normal" or "LogNormal")) return MonteCarloLatent(node, encoder);
                var logScale = distribution.Name == "LogNormal";
                var mean = ExprTools.Argument(node, logScale ? "logMean" : "mean", spec)!;
                var sd = ExprTools.Argument(node, logScale ? "logSd" : "sd", spec)!;
                MixturePrior? mixture = null;
                if (new[] { mean, sd }.SelectMany(ExprTools.Calls).Select(c => ExprTools.Find(spec, c.Node)).FirstOrDefault(n => n is not null && IsMixtureAllocation(n)) is { } allocation)
                {
                    mixture = Mixture(node, allocation);
                    if (mixture is null) return null;
                    var component = new IndexExpr(mixture.Component, allocation.Declaration.Location);
                    (mean, sd) = (ExprTools.ReplaceCalls(mean, allocation.Name, component), ExprTools.ReplaceCalls(sd, allocation.Name, component));
                }
                if (new[] { mean, sd }.SelectMany(ExprTools.Calls).Any(c => ExprTools.Find(spec, c.Node) is { } read &&
                        (read.Role is NodeRole.Network or NodeRole.Observed || read.Role == NodeRole.Latent && (read.Declaration.Encoder is not null || read.Indices.Any(i => cellPlates.Contains(i.Plate))))))
                {
                    Fail(node, "its prior's arguments may read data, constants, parameters and global latents (no networks, observations or encoded latents)");
                    return null;
                }
                if (ContainsSum(mean) || ContainsSum(sd))
                {
                    Fail(node, "its prior's arguments may not contain Sum here");
                    return null;
                }
                var inputs = Inputs(node, encoder, encoding: true);
                if (inputs is null) return null;
                var item = node.Indices.Count == 2 ? node.Indices[1].Plate : null;
                return new EncodedLatent(node.Name, logScale, item, mean, sd, Partials(mean).ToEquatableArray(), Partials(sd).ToEquatableArray(), inputs.Value, encoder,
                    node.Declaration.Location.Line) { Mixture = mixture };
            }

            /// <summary>
            /// A Categorical latent over a cell plate that one encoded latent's Normal prior alone reads: a mixture
            /// allocation (a Gaussian-mixture prior on the latent space), summed out of that prior.
            /// </summary>
            private bool IsMixtureAllocation(NodeSpec node)
            {
                if (node is not { Kind: ValueKind.Index, Declaration.Distribution.Name: "Categorical" } || node.Indices.Count != 1 || !cellPlates.Contains(node.Indices[0].Plate)) return false;
                var readers = spec.Nodes.Where(n => n.Parents.Contains(node.Name)).ToList();
                return readers.Count == 1 && readers[0] is { Role: NodeRole.Latent, Declaration: { Encoder: not null, Distribution.Name: "Normal" } } reader &&
                    reader.Indices[0].Plate == node.Indices[0].Plate;
            }

            /// <summary>The summed-out allocation of an encoded latent's prior: its weights at component k, with their partials.</summary>
            private MixturePrior? Mixture(NodeSpec latent, NodeSpec allocation)
            {
                var cell = latent.Indices[0].Variable;
                var reads = new[] { "mean", "sd" }.Select(a => ExprTools.Argument(latent, a, spec)!).SelectMany(ExprTools.Calls).Where(c => c.Node == allocation.Name);
                if (reads.Any(c => c.Indices.Count != 1 || c.Indices[0] is not IndexExpr { } at || at.Name != cell))
                {
                    Fail(latent, $"its prior reads the mixture allocation '{allocation.Name}' at another cell than its own ({cell})");
                    return null;
                }
                var argument = allocation.Declaration.Distribution!.Arguments[0];
                if (argument.Value is not LambdaExpr lambda)
                {
                    Fail(allocation, "a mixture allocation's weights must be written over its plate, (Component k) => weight(k)");
                    return null;
                }
                const string component = "ldComponent";
                var weight = ExprTools.Substitute(ExprTools.Inline(lambda.Body, spec), new Dictionary<string, Expr> { [lambda.Variable] = new IndexExpr(component, lambda.Location) });
                if (ContainsSum(weight) || ExprTools.Calls(weight).Any(c => ExprTools.Find(spec, c.Node)?.Role is NodeRole.Latent or NodeRole.Network or NodeRole.Observed ||
                        ExprTools.Find(spec, c.Node) is { Role: NodeRole.Data } data && data.Indices.Any(i => cellPlates.Contains(i.Plate))))
                {
                    Fail(allocation, "a mixture allocation's weights may read constants, parameters and data outside the cells only (no Sum)");
                    return null;
                }
                return new MixturePrior(allocation.Name, allocation.IndexPlate!, component, weight, argument.Name == "logit", Partials(weight).ToEquatableArray());
            }

            private NetworkNode? Network(NodeSpec node)
            {
                var architecture = node.Declaration.Network!;
                if (!OnBatchPlate(node, 2)) return null;
                if (node.Indices.Count != 2)
                {
                    Fail(node, "a network needs an output plate after the cell plate");
                    return null;
                }
                var inputs = Inputs(node, architecture, encoding: false);
                if (inputs is null) return null;
                // Sharing another network's weights outright means its hidden layers (wherever they come from) and its output layer.
                var weights = architecture.SharesWeightsWith is { } shared ? ExprTools.Find(spec, shared)! : node;
                var trunk = weights.Declaration.Network!.SharesHiddenLayersWith ?? weights.Name;
                return new NetworkNode(node.Name, node.Indices[1].Plate, inputs.Value, architecture, trunk, node.Declaration.Location.Line) { WeightsOf = weights.Name };
            }

            /// <summary>
            /// Encoders read observed values, numeric covariates and categories; networks read encoded latents,
            /// covariates and categories. Each must be indexed by the cell plate first, then at most one plate (its width).
            /// </summary>
            private EquatableArray<NetworkInput>? Inputs(NodeSpec node, NetworkDecl architecture, bool encoding)
            {
                var inputs = new List<NetworkInput>();
                foreach (var name in architecture.Inputs)
                {
                    var input = ExprTools.Find(spec, name);
                    var kind = input is null || input.Indices.Count is 0 or > 2 || input.Indices[0].Plate != node.Indices[0].Plate ? (InputKind?)null : input switch
                    {
                        { Kind: ValueKind.Index, Role: NodeRole.Data } when input.Indices.Count == 1 => InputKind.Category,
                        { Kind: not ValueKind.Index, Role: NodeRole.Data } => InputKind.Covariate,
                        { Role: NodeRole.Observed, Kind: not ValueKind.Index } when encoding => InputKind.Observed,
                        { Role: NodeRole.Latent } when !encoding && input.Declaration.Encoder is not null => InputKind.Latent,
                        _ => null,
                    };
                    if (kind is not { } k)
                    {
                        Fail(node, encoding
                            ? $"encoder input '{name}' must be an observed node, a numeric data node or a categorical data node over the cell plate (then at most one more plate)"
                            : $"network input '{name}' must be an encoded latent, a numeric data node or a categorical data node over the cell plate (then at most one more plate)");
                        return null;
                    }
                    inputs.Add(new NetworkInput(name, k, k == InputKind.Category ? input!.IndexPlate : input!.Indices.Count == 2 ? input.Indices[1].Plate : null,
                        k == InputKind.Observed && input.Kind == ValueKind.Integer));
                }
                if (inputs.All(i => i.Kind == InputKind.Category))
                {
                    Fail(node, "a network needs at least one continuous input (observed values, a latent or a numeric covariate)");
                    return null;
                }
                return inputs.ToEquatableArray();
            }

            private LikelihoodTerm? Likelihood(NodeSpec node)
            {
                if (node.Declaration.Constraints.Missing is not null)
                {
                    Fail(node, "its missing entries ([MeasuredWhere] or [ZerosMissing]) are not supported by variational inference yet (NUTS and maximum likelihood skip them)");
                    return null;
                }
                var distribution = node.Declaration.Distribution!;
                if (distribution.Name == "Categorical") return CategoricalLikelihood(node);
                var family = DistributionCatalog.Find(distribution.Name)!;
                var given = family.Parameters.Where(p => distribution.Arguments.Any(a => a.Name == p.Name)).ToList();
                var kernel = LikelihoodKernel.CountRow;
                var kernelName = distribution.Name;
                if (family.IsVector && node.Indices.Count == 2 && (distribution.Over == node.Indices[1].Variable || distribution.Over == node.Indices[1].Plate))
                    kernel = LikelihoodKernel.VectorRow;
                else if (!countFamilies.Contains(distribution.Name))
                {
                    if (family.IsVector || !entryDensities.Contains(distribution.Name))
                    {
                        Fail(node, family.IsVector
                            ? $"its {distribution.Name} must range over the node's second plate (a cell's row), e.g. x(Cell n, Gene g) => Dist.{distribution.Name}(over: g, ...)"
                            : $"its likelihood is {distribution.Name}; variational inference supports Categorical, Multinomial and Dirichlet rows, and the scalar observations {string.Join(", ", countFamilies.Concat(entryDensities))}");
                        return null;
                    }
                    kernel = LikelihoodKernel.Entry;
                    kernelName = distribution.Name + (given.Any(p => p.Name == "logit") ? "Logit" : "");
                }
                if (!OnBatchPlate(node, 2)) return null;
                var item = node.Indices.Count == 2 ? node.Indices[1] : null;
                var arguments = new List<LikelihoodArgument>();
                foreach (var parameter in given)
                {
                    var argument = Argument(node, parameter.Name, ExprTools.Argument(node, parameter.Name, spec)!, item?.Variable);
                    if (argument is null) return null;
                    arguments.Add(argument);
                }
                return new LikelihoodTerm(node.Name, item?.Plate, item?.Variable ?? "ldItem", distribution.Name, kernel, kernelName, arguments.ToEquatableArray(), node.Declaration.Location.Line);
            }

            /// <summary>A Categorical observation per cell: its weights or logits, a lambda over the category plate, are evaluated across that plate.</summary>
            private LikelihoodTerm? CategoricalLikelihood(NodeSpec node)
            {
                var given = node.Declaration.Distribution!.Arguments[0];
                if (!OnBatchPlate(node, 1)) return null;
                if (given.Value is not LambdaExpr lambda)
                {
                    Fail(node, $"its {given.Name} must be a function of the category, e.g. (Type t) => w(c, t)");
                    return null;
                }
                var argument = Argument(node, given.Name, ExprTools.Inline(lambda.Body, spec), lambda.Variable);
                if (argument is null) return null;
                return new LikelihoodTerm(node.Name, lambda.Plate, lambda.Variable, "Categorical", LikelihoodKernel.CategoryRow,
                    given.Name == "logit" ? "CategoricalLogit" : "Categorical", EquatableArray.Of(argument), node.Declaration.Location.Line);
            }

            /// <summary>
            /// An argument evaluated at every (cell, item) of a row: it may not read observations, reads latents and networks
            /// of the row's own cell only (a network at any output index: the item, or where a data map sends it), and
            /// may hold Sums that do not depend on the item, computed once per row.
            /// </summary>
            private LikelihoodArgument? Argument(NodeSpec node, string name, Expr value, string? itemVariable)
            {
                var rowSums = new List<RowSum>();
                value = HoistRowSums(node, name, value, itemVariable, rowSums);
                if (failure is not null) return null;
                if (ExprTools.Calls(value).Concat(rowSums.SelectMany(r => ExprTools.Calls(r.Over.Body))).Any(c => ExprTools.Find(spec, c.Node)?.Role == NodeRole.Observed))
                {
                    Fail(node, $"argument '{name}' may not read observations");
                    return null;
                }
                var cell = node.Indices[0].Variable;
                var stray = ExprTools.Calls(value).Concat(rowSums.SelectMany(r => ExprTools.Calls(r.Over.Body)))
                    .FirstOrDefault(c => ExprTools.Find(spec, c.Node) is { } read && (read.Role == NodeRole.Network || read.Role == NodeRole.Latent && read.Declaration.Encoder is not null) &&
                        (c.Indices.Count == 0 || c.Indices[0] is not IndexExpr { } at || at.Name != cell));
                if (stray is not null)
                {
                    Fail(node, $"argument '{name}' reads '{ExprPrinter.Print(stray)}', another cell's value; a likelihood reads the latents and networks of its own cell ({cell})");
                    return null;
                }
                var partials = Partials(value).Concat(rowSums.Select(r =>
                {
                    var total = new NodeCallExpr(r.Name, EquatableArray<Expr>.Empty, value.Location);
                    return new PartialDerivative(total, Differentiation.Derivative(value, total));
                }));
                return new LikelihoodArgument(name, value, partials.ToEquatableArray()) { RowSums = rowSums.ToEquatableArray() };
            }

            /// <summary>∂value/∂t for every distinct latent, network or parameter element t the value reads.</summary>
            private IEnumerable<PartialDerivative> Partials(Expr value)
            {
                var targets = new List<NodeCallExpr>();
                foreach (var call in ExprTools.Calls(value))
                {
                    if (ExprTools.Find(spec, call.Node)?.Role is not (NodeRole.Latent or NodeRole.Network or NodeRole.Param)) continue;
                    if (targets.Any(t => ExprTools.SameShape(t, call))) continue;
                    targets.Add(call);
                }
                return targets.Select(t => new PartialDerivative(t, Differentiation.Derivative(value, t)));
            }

            private static bool ContainsSum(Expr e) => e switch
            {
                SumExpr => true,
                NodeCallExpr c => c.Indices.Any(ContainsSum),
                FunctionExpr f => f.Arguments.Any(ContainsSum),
                BinaryExpr b => ContainsSum(b.Left) || ContainsSum(b.Right),
                NegateExpr n => ContainsSum(n.Operand),
                _ => false,
            };
        }
    }
}
