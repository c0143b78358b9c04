using Dsl.Compiler;
using Dsl.Runtime.Graph;
using Dsl.Tests.Shared;
using Microsoft.CodeAnalysis;

namespace Dsl.Compiler.Tests;

/// <summary>The MSBuild-free host: compile model files in-process, report in compiler format, load and unload.</summary>
public sealed class ModelCompilerTests
{
    private const string Good = """
        using Dsl;
        namespace T;
        [PlateModel]
        public partial class Toy
        {
            [Plate] public partial struct Cell { }
            [Param, Positive] public partial double rate();
            [Observed] public int y(Cell c) => Dist.Poisson(rate());
        }
        """;

    [Fact]
    public void BundledModels_CompileTogether_WithoutMessages()
    {
        using var compiled = ModelCompiler.Compile(RepoPaths.ModelFiles);

        // Every bundled model is valid and fitted by some engine: no message at all.
        Assert.Empty(compiled.Messages);
        Assert.True(compiled.Succeeded);
        Assert.Equal(["DeepMc1", "DeepMc2", "DeepMc3", "Gimvi", "GimviNb", "Scvi", "ScviNb", "ScviPoisson", "Ursm"], compiled.ModelTypes.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal));
        // Storage, graph and binding for each, Gibbs and M-step for URSM, ELBO, gradients and variational binding for each scVI
        // variant, the maximum-likelihood objective for each deepMc depth; for each gimVI, those three for each of its two
        // cell plates and the joint family, and for the variant GimviNb its inherited declarations.
        Assert.Equal(35 + 10 + 11, compiled.GeneratedSources.Count);
    }

    [Fact]
    public void LoadedModel_ExposesItsGeneratedGraph_AndStorage()
    {
        using var temp = new TempFolder();
        using var compiled = ModelCompiler.Compile([temp.File("Toy.cs", Good)]);

        var toy = Assert.Single(compiled.ModelTypes);
        var graph = (ModelGraph)toy.GetProperty("Graph")!.GetValue(null)!;
        Assert.Equal(["rate", "y"], graph.Nodes.Select(n => n.Name));
        Assert.Equal(["rate"], graph.Node("y").Parents);

        // The generated partial body of a [Param] reads its storage property.
        var instance = Activator.CreateInstance(toy)!;
        toy.GetProperty("rateValues")!.SetValue(instance, 2.5);
        Assert.Equal(2.5, toy.GetMethod("rate")!.Invoke(instance, null));
    }

    [Fact]
    public void BadModel_ReportsInCompilerFormat_WithPathLineAndColumn()
    {
        using var temp = new TempFolder();
        var path = temp.File("Bad.cs", Good.Replace("Dist.Poisson(rate())", "Dist.Poisson(-1)"));

        using var compiled = ModelCompiler.Compile([path]);

        Assert.False(compiled.Succeeded);
        var message = Assert.Single(compiled.Messages, m => m.Id == "DSL0204");
        Assert.Equal($"{path}(8,53): error DSL0204: Model 'Toy', node 'y': Dist.Poisson argument 'rate' is -1 but must be non-negative", message.ToString());
        Assert.Contains(compiled.Messages, m => m.Id == "DSL0304" && m.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void CSharpErrors_AreReportedToo()
    {
        using var temp = new TempFolder();
        var path = temp.File("Broken.cs", Good.Replace("public int y(Cell c)", "public int y(Cell c"));

        using var compiled = ModelCompiler.Compile([path]);

        Assert.False(compiled.Succeeded);
        Assert.Contains(compiled.Messages, m => m.Id.StartsWith("CS") && m.IsError && m.Path == path);
    }

    [Fact]
    public void LoadContext_IsCollectible_SoRepeatedCompilesDoNotLeak()
    {
        using var temp = new TempFolder();
        var path = temp.File("Toy.cs", Good);
        var weak = CompileAndForget(path);

        for (var i = 0; i < 10 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(weak.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CompileAndForget(string path)
    {
        using var compiled = ModelCompiler.Compile([path]);
        return new WeakReference(compiled.Assembly);
    }
}
