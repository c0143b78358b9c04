using Dsl.Generators.Diagnostics;
using Dsl.Tests.Shared;

namespace Dsl.Generators.Tests;

/// <summary>
/// The generator never throws: an exception in a generator is a silent warning and no output. Feed it every bundled
/// model truncated at many points and mangled at random (fixed seeds); DSL0901 (internal error) must never appear.
/// </summary>
public sealed class RobustnessTests
{
    public static TheoryData<string> Models => new(RepoPaths.ModelFiles);

    [Theory]
    [MemberData(nameof(Models))]
    public void TruncatedModel_NeverFailsInternally(string path)
    {
        var text = File.ReadAllText(path);
        // Every 3rd cut point covers each token boundary of the declaration at least once in practice.
        for (var cut = 0; cut < text.Length; cut += 3)
            AssertNoInternalError(text[..cut], $"truncated at {cut}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MangledModel_NeverFailsInternally(string path)
    {
        var text = File.ReadAllText(path);
        var random = new Random(20261122);
        string[] debris = ["(", ")", "{", "}", ",", "=>", "[", "]", "Dist.", "Sum((Gene n) =>", "nameof(", "0", "-1", "partial", ";", "\"", "Fn.Exp("];
        for (var variant = 0; variant < 400; variant++)
        {
            var mangled = text;
            for (var edit = 0; edit < 1 + random.Next(4); edit++)
            {
                var at = random.Next(mangled.Length);
                mangled = random.Next(3) switch
                {
                    0 => mangled.Remove(at, Math.Min(1 + random.Next(12), mangled.Length - at)),
                    1 => mangled.Insert(at, debris[random.Next(debris.Length)]),
                    _ => mangled.Insert(at, mangled.Substring(random.Next(mangled.Length / 2), 1 + random.Next(20))),
                };
            }
            AssertNoInternalError(mangled, $"variant {variant}");
        }
    }

    [Fact]
    public void MangledModel_ThroughTheRealGenerator_ProducesNoGeneratorException()
    {
        var text = File.ReadAllText(RepoPaths.ModelFiles.First(p => p.EndsWith("Ursm.cs")));
        for (var cut = 0; cut < text.Length; cut += 101)
        {
            var run = GeneratorHarness.Run(("Ursm.cs", text[..cut]));
            // Roslyn reports a throwing generator as CS8785; our own guard as DSL0901.
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "DSL0901");
        }
    }

    private static void AssertNoInternalError(string source, string what)
    {
        var results = ModelPipeline.RunOnSource(source, "Model.cs");
        var internalErrors = results.SelectMany(r => r.Diagnostics).Where(d => d.Id == DiagnosticDescriptors.InternalError.Id).ToList();
        Assert.True(internalErrors.Count == 0, $"{what}: {string.Join("; ", internalErrors.Select(d => d.Message))}\n--- source ---\n{source}");
    }
}
