using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    /// <summary>
    /// Plans variational inference for a model with encoders and networks (DESIGN.md, pipeline step 3): every
    /// latent is a reparameterised Normal or LogNormal factor from its encoder, every observation a count
    /// likelihood whose arguments the planner differentiates with respect to each latent, network output and
    /// parameter they read. The first thing no rule covers is reported with the reason. Rules read structure only.
    /// </summary>
    public static class VariationalPlanner
    {
        private static readonly string[] countFamilies = { "ZeroInflatedNegativeBinomial", "NegativeBinomial", "Poisson" };

        /// <summary>Whether the model is fitted by variational inference: it declares networks or encoders.</summary>
        public static bool Applies(ModelSpec spec) =>
            spec.Nodes.Any(n => n.Role == NodeRole.Network || n.Declaration.Encoder is not null);

        public static Result<VariationalPlan> Plan(ModelSpec spec) => new Planner(spec).Run();

        private sealed class Planner
        {
            private readonly ModelSpec spec;
            private DiagnosticInfo? failure;
            private string? batchPlate;

            public Planner(ModelSpec spec) { this.spec = spec; }

            public Result<VariationalPlan> Run()
            {
                var latents = new List<EncodedLatent>();
                var networks = new List<NetworkNode>();
                var likelihoods = new List<LikelihoodTerm>();
                foreach (var node in spec.Nodes)
                {
                    switch (node.Role)
                    {
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
                var parameters = new List<FittedParameter>();
                foreach (var parameter in spec.Nodes.Where(n => n.Role == NodeRole.Param))
                {
                    if (!likelihoods.Any(l => l.Arguments.Any(a => ExprTools.Mentions(a.Value, parameter.Name))))
                        Fail(parameter, "only parameters that observation arguments read are fitted by gradient here");
                    else if (parameter.Declaration.Constraints.Simplex)
                        Fail(parameter, "simplex-constrained parameters are not supported by variational inference yet");
                    else
                        parameters.Add(new FittedParameter(parameter.Name, parameter.Declaration.Constraints.Positive));
                    if (failure is not null) return Failed();
                }
                if (likelihoods.Count == 0)
                    return new Result<VariationalPlan>(null, EquatableArray<DiagnosticInfo>.Empty);
                var plan = new VariationalPlan(batchPlate!, latents.ToEquatableArray(), networks.ToEquatableArray(), likelihoods.ToEquatableArray(), parameters.ToEquatableArray());
                return new Result<VariationalPlan>(plan, EquatableArray<DiagnosticInfo>.Empty);
            }

            private Result<VariationalPlan> Failed() => new(null, EquatableArray.Of(failure!));

            private void Fail(NodeSpec node, string why) =>
                failure ??= DiagnosticInfo.Create(DiagnosticDescriptors.NoVariationalRule, node.Declaration.Location, spec.ClassName, node.Name, why);

            /// <summary>Minibatches are drawn over one plate: every latent, network and observation must start with it.</summary>
            private bool OnBatchPlate(NodeSpec node, int maxIndices)
            {
                if (node.Indices.Count == 0 || node.Indices.Count > maxIndices)
                {
                    Fail(node, maxIndices == 1
                        ? "it must be indexed by the plate minibatches are drawn over (cells) and nothing else"
                        : "it must be indexed by the plate minibatches are drawn over (cells), then at most one more plate");
                    return false;
                }
                batchPlate ??= node.Indices[0].Plate;
                if (node.Indices[0].Plate == batchPlate) return true;
                Fail(node, $"its first plate is {node.Indices[0].Plate} but minibatches are drawn over {batchPlate}; variational inference over several cell plates (gimVI) is not supported yet");
                return false;
            }

            private EncodedLatent? Latent(NodeSpec node)
            {
                if (node.Declaration.Encoder is not { } encoder)
                {
                    Fail(node, "a latent needs an [Encoder] for variational inference (its amortised posterior)");
                    return null;
                }
                if (!OnBatchPlate(node, 2)) return null;
                if (encoder.SharedLastLayer is not null)
                {
                    Fail(node, "encoders sharing their last layer (SharedLastLayer) are not supported yet");
                    return null;
                }
                var distribution = node.Declaration.Distribution!;
                if (distribution.Name is not ("Normal" or "LogNormal"))
                {
                    Fail(node, $"its prior is {distribution.Name}; reparameterised factors with analytic KL need a Normal or LogNormal prior");
                    return null;
                }
                var logScale = distribution.Name == "LogNormal";
                var mean = ExprTools.Argument(node, logScale ? "logMean" : "mean", spec)!;
                var sd = ExprTools.Argument(node, logScale ? "logSd" : "sd", spec)!;
                if (ExprTools.Mentions(mean, spec, NodeRole.Latent, NodeRole.Param, NodeRole.Network, NodeRole.Observed) ||
                    ExprTools.Mentions(sd, spec, NodeRole.Latent, NodeRole.Param, NodeRole.Network, NodeRole.Observed))
                {
                    Fail(node, "its prior's arguments may read data and constants only (fitted or latent prior parameters are not supported yet)");
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
                return new EncodedLatent(node.Name, logScale, item, mean, sd, inputs.Value, encoder, node.Declaration.Location.Line);
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
                if (architecture.SharesWeightsWith is not null)
                {
                    Fail(node, "networks sharing another network's weights (SharesWeightsWith) are not supported yet");
                    return null;
                }
                var inputs = Inputs(node, architecture, encoding: false);
                if (inputs is null) return null;
                return new NetworkNode(node.Name, node.Indices[1].Plate, inputs.Value, architecture, architecture.SharesHiddenLayersWith ?? node.Name, node.Declaration.Location.Line);
            }

            /// <summary>Encoders read counts and categories; networks read encoded latents and categories.</summary>
            private EquatableArray<NetworkInput>? Inputs(NodeSpec node, NetworkDecl architecture, bool encoding)
            {
                var inputs = new List<NetworkInput>();
                foreach (var name in architecture.Inputs)
                {
                    var input = ExprTools.Find(spec, name);
                    if (input is { Kind: ValueKind.Index, Role: NodeRole.Data } && input.Indices.Count == 1 && input.Indices[0].Plate == node.Indices[0].Plate)
                        inputs.Add(new NetworkInput(name, InputKind.Category, input.IndexPlate));
                    else if (encoding && input is { Role: NodeRole.Observed } && input.Indices.Count == 2 && input.Indices[0].Plate == node.Indices[0].Plate)
                        inputs.Add(new NetworkInput(name, InputKind.Counts, input.Indices[1].Plate));
                    else if (!encoding && input is { Role: NodeRole.Latent } && input.Declaration.Encoder is not null && input.Indices[0].Plate == node.Indices[0].Plate)
                        inputs.Add(new NetworkInput(name, InputKind.Latent, input.Indices.Count == 2 ? input.Indices[1].Plate : null));
                    else
                    {
                        Fail(node, encoding
                            ? $"encoder input '{name}' must be an observed count node or a categorical data node over the cell plate"
                            : $"network input '{name}' must be an encoded latent or a categorical data node over the cell plate");
                        return null;
                    }
                }
                if (inputs.All(i => i.Kind == InputKind.Category))
                {
                    Fail(node, "a network needs at least one continuous input (counts or a latent)");
                    return null;
                }
                return inputs.ToEquatableArray();
            }

            private LikelihoodTerm? Likelihood(NodeSpec node)
            {
                var distribution = node.Declaration.Distribution!;
                if (!countFamilies.Contains(distribution.Name))
                {
                    Fail(node, $"its likelihood is {distribution.Name}; variational inference supports ZeroInflatedNegativeBinomial, NegativeBinomial and Poisson observations");
                    return null;
                }
                if (!OnBatchPlate(node, 2)) return null;
                if (node.Indices.Count != 2)
                {
                    Fail(node, "an observation needs an item plate (genes) after the cell plate");
                    return null;
                }
                var arguments = new List<LikelihoodArgument>();
                foreach (var parameter in DistributionCatalog.Find(distribution.Name)!.Parameters)
                {
                    var value = ExprTools.Argument(node, parameter.Name, spec)!;
                    if (ExprTools.Calls(value).Any(c => ExprTools.Find(spec, c.Node)?.Role == NodeRole.Observed) || ContainsSum(value))
                    {
                        Fail(node, $"argument '{parameter.Name}' may not read observations or contain Sum here");
                        return null;
                    }
                    if (ExprTools.Calls(value).FirstOrDefault(c => ExprTools.Find(spec, c.Node)?.Role == NodeRole.Network && !ReadsOwnElement(c, node)) is { } stray)
                    {
                        Fail(node, $"argument '{parameter.Name}' reads network '{stray.Node}' at other indices than ({string.Join(", ", node.Indices.Select(i => i.Variable))})");
                        return null;
                    }
                    arguments.Add(new LikelihoodArgument(parameter.Name, value, Partials(value).ToEquatableArray()));
                }
                return new LikelihoodTerm(node.Name, node.Indices[1].Plate, distribution.Name, arguments.ToEquatableArray(), node.Declaration.Location.Line);
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

            private static bool ReadsOwnElement(NodeCallExpr call, NodeSpec node) =>
                call.Indices.Count == 2 && call.Indices[0] is IndexExpr n && n.Name == node.Indices[0].Variable
                && call.Indices[1] is IndexExpr g && g.Name == node.Indices[1].Variable;

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
