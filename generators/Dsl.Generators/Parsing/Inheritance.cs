using System.Collections.Generic;
using System.Linq;
using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Parsing
{
    /// <summary>
    /// <c>[PlateModel(Extends = typeof(Base))]</c>: a model is its bases' plates and nodes, root first, each level's
    /// declarations replacing those of the same name before it, then its own. The members it inherits keep their text,
    /// which <c>{Model}.Inherited.g.cs</c> declares in the class, so the C# of the model's own nodes can read them.
    /// Bases are found among the compilation's [PlateModel] classes by class name (qualified names narrow it by namespace).
    /// </summary>
    public static class Inheritance
    {
        public static Result<ModelDeclaration> Resolve(ModelDeclaration model, IReadOnlyList<ModelDeclaration> all)
        {
            if (model.Extends is null) return new Result<ModelDeclaration>(model, EquatableArray<DiagnosticInfo>.Empty);
            var chain = new List<ModelDeclaration>();
            var current = model;
            while (current.Extends is { } extends)
            {
                var candidates = all.Where(d => d.ClassName == extends.ClassName && Qualified(d).EndsWith(extends.TypeName, System.StringComparison.Ordinal)).ToList();
                var why = candidates.Count == 0
                    ? $"Extends = typeof({extends.TypeName}) names no [PlateModel] class of this compilation; declare the base in this file, or in one compiled with it (dsl check base.cs variant.cs; dsl fit variant.cs --with base.cs)"
                    : candidates.Count > 1 ? $"Extends = typeof({extends.TypeName}) matches {candidates.Count} plate models ({string.Join(", ", candidates.Select(Qualified))}); qualify it with its namespace"
                    : candidates[0] == model || chain.Contains(candidates[0]) ? $"Extends = typeof({extends.TypeName}) makes a cycle ({string.Join(" -> ", chain.Prepend(model).Select(d => d.ClassName).Append(candidates[0].ClassName))}); a model cannot extend itself"
                    : null;
                if (why is not null)
                    return new Result<ModelDeclaration>(null, EquatableArray.Of(DiagnosticInfo.Create(DiagnosticDescriptors.UnresolvedExtends, extends.Location, model.ClassName, why)));
                chain.Add(candidates[0]);
                current = candidates[0];
            }
            var plates = new List<PlateDecl>();
            var nodes = new List<NodeDecl>();
            var sources = new List<MemberSource>();
            foreach (var level in Enumerable.Reverse(chain).Append(model))
            {
                foreach (var plate in level.Plates) Replace(plates, plate, p => p.Name);
                foreach (var node in level.Nodes) Replace(nodes, node, n => n.Name);
                if (level != model) foreach (var source in level.Sources) Replace(sources, source, s => s.Name);
            }
            var own = new HashSet<string>(model.Sources.Select(s => s.Name));
            return new Result<ModelDeclaration>(model with
            {
                Plates = plates.ToEquatableArray(),
                Nodes = nodes.ToEquatableArray(),
                Inherited = sources.Where(s => !own.Contains(s.Name)).ToEquatableArray(),
                InheritedUsings = chain.SelectMany(b => b.Usings).Distinct().ToEquatableArray(),
            }, EquatableArray<DiagnosticInfo>.Empty);
        }

        private static string Qualified(ModelDeclaration model) => string.IsNullOrEmpty(model.Namespace) ? model.ClassName : model.Namespace + "." + model.ClassName;

        /// <summary>The item in place of the one of the same name, or appended.</summary>
        private static void Replace<T>(List<T> items, T item, System.Func<T, string> name)
        {
            var at = items.FindIndex(i => name(i) == name(item));
            if (at >= 0) items[at] = item;
            else items.Add(item);
        }
    }
}
