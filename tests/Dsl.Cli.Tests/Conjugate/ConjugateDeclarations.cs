using Dsl.Compiler;
using Dsl.Runtime.Conjugate;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Conjugate;

/// <summary>tests/declarations/Conjugate.cs compiled once for the exact Gibbs tests (a compilation takes seconds).</summary>
public sealed class ConjugateDeclarations : IDisposable
{
    private readonly CompiledModels compiled = Compile();

    private static CompiledModels Compile()
    {
        var compiled = ModelCompiler.Compile([RepoPaths.Conjugate]);
        if (!compiled.Succeeded) throw new InvalidOperationException(string.Join("\n", compiled.Messages));
        return compiled;
    }

    public IReadOnlyList<string> Names => compiled.ModelTypes.Select(t => t.Name).Order().ToList();

    public IConjugateModel Create(string name) => (IConjugateModel)Activator.CreateInstance(compiled.ModelTypes.Single(t => t.Name == name))!;

    public void Dispose() => compiled.Dispose();
}
