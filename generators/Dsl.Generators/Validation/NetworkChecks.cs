using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Validation
{
    /// <summary>
    /// Networks map, per element of a batch plate, input vectors to an output vector along one axis. Their inputs must
    /// range over that batch plate, shared weights must have one shape, and encoders amortise continuous latents on the reals or the positive reals.
    /// </summary>
    internal static class NetworkChecks
    {

        public static void Run(ValidationContext context, NodeDecl node)
        {
            if (node.Role == NodeRole.Network && node.RoleAttributes.Count == 1) CheckNetwork(context, node);
            if (node.Encoder is not null) CheckEncoder(context, node, node.Encoder);
            foreach (var architecture in new[] { node.Network, node.Encoder })
                if (architecture is not null) CheckSizes(context, node, architecture);
        }

        /// <summary>Layers ≥ 0 (0: a linear map from the inputs to the output), Hidden ≥ 1, 0 ≤ Dropout &lt; 1.</summary>
        private static void CheckSizes(ValidationContext context, NodeDecl node, NetworkDecl architecture)
        {
            if (architecture.Layers < 0 || architecture.Hidden < 1 || !(architecture.Dropout >= 0 && architecture.Dropout < 1))
                Report(context, node, architecture.Location,
                    $"Layers = {architecture.Layers}, Hidden = {architecture.Hidden}, Dropout = {architecture.Dropout}: give Layers ≥ 0 (0 maps the inputs linearly to the output), Hidden ≥ 1 and 0 ≤ Dropout < 1");
        }

        private static void CheckNetwork(ValidationContext context, NodeDecl node)
        {
            var network = node.Network!;
            if (node.Indices.Count != 2)
            {
                Report(context, node, network.Location,
                    $"declare it over two plates, the batch plate it is applied over and its output axis (e.g. {node.Name}(Cell n, Gene g)); it has {node.Indices.Count}");
                return;
            }
            var batch = node.Indices[0].Plate;
            if (network.Inputs.Count == 0)
                Report(context, node, network.Location, "name its inputs, e.g. [Network(Inputs = new[] { nameof(z) })]");
            foreach (var input in network.Inputs)
                CheckInput(context, node, network.Location, input, batch);
            if (network.SharesWeightsWith is { } other) CheckSharedWeights(context, node, network, other);
            if (network.SharesHiddenLayersWith is { } trunk) CheckSharedHiddenLayers(context, node, network, trunk);
        }

        private static void CheckSharedHiddenLayers(ValidationContext context, NodeDecl node, NetworkDecl network, string other)
        {
            if (!context.Nodes.TryGetValue(other, out var target) || target.Role != NodeRole.Network || target.Network is null || other == node.Name)
            {
                Report(context, node, network.Location, $"SharesHiddenLayersWith names '{other}', which is not another [Network] node");
                return;
            }
            if (target.Network.SharesHiddenLayersWith is not null)
            {
                Report(context, node, network.Location, $"'{other}' itself shares the hidden layers of '{target.Network.SharesHiddenLayersWith}'; name that network instead");
                return;
            }
            var t = target.Network;
            if (!t.Inputs.SequenceEqual(network.Inputs) || t.Hidden != network.Hidden || t.Layers != network.Layers || t.Dropout != network.Dropout || t.BatchNorm != network.BatchNorm)
            {
                Report(context, node, network.Location,
                    $"shares the hidden layers of '{other}' but differs in inputs, hidden size, layers, dropout or batch norm; declare the same ones");
            }
        }

        private static void CheckInput(ValidationContext context, NodeDecl node, LocationInfo location, string input, string batch)
        {
            if (!context.Nodes.TryGetValue(input, out var source))
            {
                Report(context, node, location, $"input '{input}' is not a node of the model");
                return;
            }
            if (source.Indices.Count == 0 || source.Indices[0].Plate != batch)
            {
                Report(context, node, location,
                    $"input '{input}' ranges over ({string.Join(", ", source.Indices.Select(i => i.Plate))}) but the network is applied per '{batch}'; an input's first plate must be the batch plate");
            }
            else if (source.Indices.Count > 2)
            {
                Report(context, node, location, $"input '{input}' has {source.Indices.Count} plates; an input is one vector per '{batch}' (at most one feature plate)");
            }
        }

        private static void CheckSharedWeights(ValidationContext context, NodeDecl node, NetworkDecl network, string other)
        {
            if (!context.Nodes.TryGetValue(other, out var target) || target.Role != NodeRole.Network || target.Network is null)
            {
                Report(context, node, network.Location, $"SharesWeightsWith names '{other}', which is not a [Network] node");
                return;
            }
            if (target.Indices.Count == 2 && target.Indices[1].Plate != node.Indices[1].Plate)
            {
                Report(context, node, network.Location,
                    $"shares weights with '{other}' whose output axis is '{target.Indices[1].Plate}', not '{node.Indices[1].Plate}'; shared weights need one output size");
            }
            if (target.Network.Inputs.Count != network.Inputs.Count || target.Network.Hidden != network.Hidden || target.Network.Layers != network.Layers)
            {
                Report(context, node, network.Location,
                    $"shares weights with '{other}' but differs in inputs, hidden size or layers; shared weights need one architecture");
            }
            else
            {
                for (var i = 0; i < network.Inputs.Count; i++)
                {
                    var mine = FeaturePlate(context, network.Inputs[i]);
                    var theirs = FeaturePlate(context, target.Network.Inputs[i]);
                    if (mine != theirs)
                        Report(context, node, network.Location,
                            $"input {i + 1} ('{network.Inputs[i]}') has features over '{mine}' but '{other}' takes '{theirs}' there; shared weights need one input size");
                }
            }
        }

        /// <summary>The plate an input's feature vector runs along: its second plate, or the plate it is an index into.</summary>
        private static string? FeaturePlate(ValidationContext context, string input) =>
            context.Nodes.TryGetValue(input, out var node)
                ? node.Indices.Count > 1 ? node.Indices[1].Plate : context.IndexPlateOf(node) ?? "(scalar)"
                : null;

        private static void CheckEncoder(ValidationContext context, NodeDecl node, NetworkDecl encoder)
        {
            if (node.Role != NodeRole.Latent)
            {
                context.Report(DiagnosticDescriptors.EncoderMisuse, encoder.Location, node.Name, "[Encoder] amortises the posterior of a [Latent] node; remove it or mark the node [Latent]");
                return;
            }
            // The encoder's factor is a Normal on the latent (or on its log): the prior must be continuous on one of those supports.
            if (node.Distribution is { } distribution && DistributionCatalog.Find(distribution.Name) is { } family && (family.IsVector || family.Draws is not (Support.Real or Support.Positive)))
            {
                context.Report(DiagnosticDescriptors.EncoderMisuse, encoder.Location, node.Name,
                    $"an encoder's factor is Normal (log-normal for a positive latent), so it needs a continuous prior on the reals or the positive reals, not {distribution.Name}");
            }
            if (encoder.Inputs.Count == 0)
                context.Report(DiagnosticDescriptors.EncoderMisuse, encoder.Location, node.Name, "name the encoder's inputs, e.g. Inputs = new[] { nameof(x) }");
            var batch = node.Indices.Count > 0 ? node.Indices[0].Plate : null;
            foreach (var input in encoder.Inputs)
            {
                if (!context.Nodes.TryGetValue(input, out var source))
                    context.Report(DiagnosticDescriptors.EncoderMisuse, encoder.Location, node.Name, $"encoder input '{input}' is not a node of the model");
                else if (source.Indices.Count == 0 || source.Indices[0].Plate != batch)
                    context.Report(DiagnosticDescriptors.EncoderMisuse, encoder.Location, node.Name,
                        $"encoder input '{input}' must range over '{batch}' first, as the latent does");
            }
        }

        private static void Report(ValidationContext context, NodeDecl node, LocationInfo location, string message) =>
            context.Report(DiagnosticDescriptors.NetworkShape, location, node.Name, message);
    }
}
