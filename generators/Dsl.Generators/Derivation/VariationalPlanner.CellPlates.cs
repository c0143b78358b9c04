using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Derivation
{
    public static partial class VariationalPlanner
    {
        /// <summary>Rules for what several cell plates share: encoders with one last layer, and adversarial groups of latents.</summary>
        private sealed partial class Planner
        {
            /// <summary>
            /// Encoders naming one SharedLastLayer group share the layers after their first and their output heads: they
            /// need one hidden size, depth, dropout, batch normalisation, categories and latent width.
            /// </summary>
            private void CheckSharedLastLayers(List<EncodedLatent> latents)
            {
                foreach (var group in latents.Where(l => l.Encoder.SharedLastLayer is not null).GroupBy(l => l.Encoder.SharedLastLayer))
                {
                    var first = group.First();
                    if (first.Encoder.Layers == 0)
                    {
                        Fail(ExprTools.Find(spec, first.Node)!, $"its encoder shares its last layer ('{group.Key}') but has no hidden layer; the first layer is each encoder's own (it reads that encoder's input), so give it Layers ≥ 1");
                        return;
                    }
                    foreach (var other in group.Skip(1))
                    {
                        var (a, b) = (first.Encoder, other.Encoder);
                        var categories = (first.Inputs.Where(i => i.Kind == InputKind.Category).Select(i => i.Plate), other.Inputs.Where(i => i.Kind == InputKind.Category).Select(i => i.Plate));
                        if (a.Hidden != b.Hidden || a.Layers != b.Layers || a.Dropout != b.Dropout || a.BatchNorm != b.BatchNorm || other.ItemPlate != first.ItemPlate ||
                            !categories.Item1.SequenceEqual(categories.Item2))
                        {
                            Fail(ExprTools.Find(spec, other.Node)!,
                                $"its encoder shares its last layer ('{group.Key}') with {first.Node}'s but differs in hidden size, layers, dropout, batch normalisation, categories or latent width; shared layers need one architecture");
                            return;
                        }
                    }
                }
            }

            /// <summary>
            /// [Adversarial] groups: encoded latents, one per cell plate (at least two plates), of one width, agreeing on
            /// κ ≥ 0 and the discriminator's architecture.
            /// </summary>
            private EquatableArray<AdversarialGroup> Adversaries(List<EncodedLatent> latents)
            {
                var groups = new List<AdversarialGroup>();
                var marked = spec.Nodes.Where(n => n.Declaration.Adversarial is not null).ToList();
                if (marked.FirstOrDefault(n => n.Declaration.Encoder is null || n.Role != NodeRole.Latent) is { } stray)
                {
                    Fail(stray, "[Adversarial] aligns encoded latents only: give the node an [Encoder], or drop the attribute");
                    return EquatableArray<AdversarialGroup>.Empty;
                }
                foreach (var group in marked.GroupBy(n => n.Declaration.Adversarial!.Group))
                {
                    var members = group.OrderBy(n => cellPlates.IndexOf(n.Indices[0].Plate)).ToList();
                    var first = members[0].Declaration.Adversarial!;
                    var width = latents.First(l => l.Node == members[0].Name).ItemPlate;
                    string? why = null;
                    if (group.Key.Length == 0) why = "its [Adversarial] group must be a string literal naming the group";
                    else if (members.Count < 2 || members.Select(n => n.Indices[0].Plate).Distinct().Count() != members.Count)
                        why = $"adversarial group '{group.Key}' needs one latent on each of at least two cell plates (the discriminator tells the plates apart)";
                    else if (members.Any(n => latents.First(l => l.Node == n.Name).ItemPlate != width))
                        why = $"the latents of adversarial group '{group.Key}' differ in width; the discriminator reads one latent vector";
                    else if (members.Any(n => n.Declaration.Adversarial is { } a && (a.Kappa != first.Kappa || a.Hidden != first.Hidden || a.Layers != first.Layers || a.Dropout != first.Dropout)))
                        why = $"the latents of adversarial group '{group.Key}' give different Kappa, Hidden, Layers or Dropout; they share one discriminator";
                    else if (!(first.Kappa >= 0) || double.IsInfinity(first.Kappa) || first.Hidden < 1 || first.Layers < 1 || !(first.Dropout >= 0 && first.Dropout < 1))
                        why = "its [Adversarial] needs Kappa ≥ 0, Hidden ≥ 1, Layers ≥ 1 and 0 ≤ Dropout < 1";
                    if (why is not null)
                    {
                        Fail(members.Last(), why);
                        return EquatableArray<AdversarialGroup>.Empty;
                    }
                    groups.Add(new AdversarialGroup(group.Key, first.Kappa, first.Hidden, first.Layers, first.Dropout, width, members.Select(n => n.Name).ToEquatableArray()));
                }
                return groups.ToEquatableArray();
            }
        }
    }
}
