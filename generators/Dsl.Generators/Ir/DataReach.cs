using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl.Generators.Ir
{
    /// <summary>
    /// Which nodes the data reach. An observation is informed by the nodes it reads, they by the nodes they read, and
    /// so on up the graph. A latent or parameter outside that set informs no observation: the data say nothing about
    /// it, and no other node's fit depends on it (a node that read it would be outside the set too). That happens
    /// when a model that extends another overrides the only node that read one of the base's (scVI with Poisson
    /// counts no longer reads the dispersion theta). Diagnostic DSL0309 names such nodes, and the engines that fit
    /// by optimisation leave them out, where otherwise they would refuse the model over a node nothing needs.
    /// </summary>
    public static class DataReach
    {
        /// <summary>The observed nodes and every node they read, directly or through others.</summary>
        public static HashSet<string> Informed(IEnumerable<string> observed, Func<string, IEnumerable<string>> parents)
        {
            var informed = new HashSet<string>();
            var pending = new Stack<string>(observed);
            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (!informed.Add(name)) continue;
                foreach (var parent in parents(name)) pending.Push(parent);
            }
            return informed;
        }

        /// <summary>The latents and parameters of a validated model that inform no observation.</summary>
        public static HashSet<string> Uninformed(ModelSpec spec)
        {
            var byName = spec.Nodes.ToDictionary(n => n.Name);
            var informed = Informed(spec.Nodes.Where(n => n.Role == NodeRole.Observed).Select(n => n.Name),
                name => byName.TryGetValue(name, out var node) ? node.Parents : Enumerable.Empty<string>());
            return new HashSet<string>(spec.Nodes.Where(n => n.Role is NodeRole.Latent or NodeRole.Param && !informed.Contains(n.Name)).Select(n => n.Name));
        }
    }
}
