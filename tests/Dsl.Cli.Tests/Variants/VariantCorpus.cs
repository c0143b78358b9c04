using Dsl.Compiler;
using Dsl.Runtime.Models;
using Dsl.Runtime.Variational;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Variants;

/// <summary>tests/declarations/Variants.cs compiled once for the corpus tests (a compilation takes seconds).</summary>
public sealed class VariantCorpus : IDisposable
{
    private readonly CompiledModels compiled = Compile();

    private static CompiledModels Compile()
    {
        var compiled = ModelCompiler.Compile([RepoPaths.Variants]);
        if (!compiled.Succeeded) throw new InvalidOperationException(string.Join("\n", compiled.Messages));
        return compiled;
    }

    public IReadOnlyList<string> Names => compiled.ModelTypes.Select(t => t.Name).Order().ToList();

    public IDeclaredModel Create(string name) => (IDeclaredModel)Activator.CreateInstance(compiled.ModelTypes.Single(t => t.Name == name))!;

    /// <summary>The generated variational family of a model VI fits, in double precision (for finite differences).</summary>
    public static IVariationalModel<double> DoubleFamily(IDeclaredModel model, ulong seed)
    {
        var family = model.GetType().GetNestedType("Variational`1") ?? throw new InvalidOperationException($"{model.GetType().Name} has no variational family");
        return (IVariationalModel<double>)Activator.CreateInstance(family.MakeGenericType(typeof(double)), model, seed)!;
    }

    public void Dispose() => compiled.Dispose();
}
