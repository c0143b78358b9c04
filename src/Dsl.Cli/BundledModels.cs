using System.Reflection;
using Dsl.Runtime.Graph;

namespace Dsl.Cli;

/// <summary>The models compiled into the tool (models/Dsl.Models) and their declaration files shipped beside it.</summary>
public static class BundledModels
{
    private static readonly Assembly assembly = typeof(Dsl.Models.Ursm.Ursm).Assembly;

    public static IReadOnlyList<Type> Types { get; } = assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<PlateModelAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();

    public static string Names => string.Join(", ", Types.Select(t => t.Name.ToLowerInvariant()));

    public static Type? Find(string name) =>
        Types.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The declaration files copied next to the tool (models/&lt;Model&gt;/&lt;Model&gt;.cs).</summary>
    public static IReadOnlyList<string> SourceFiles =>
        Directory.Exists(SourceFolder)
            ? Directory.GetFiles(SourceFolder, "*.cs", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToList()
            : [];

    public static string SourceFolder => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The generated <c>Graph</c> property of a model type.</summary>
    public static ModelGraph GraphOf(Type model) =>
        model.GetProperty("Graph", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ModelGraph
        ?? throw new CliException($"{model.Name} has no generated Graph; was it compiled with the plate-model generator?");
}
