namespace Dsl.Generators.Emit
{
    /// <summary>One generated source: its hint name (<c>{Model}.{Part}.g.cs</c>) and text.</summary>
    public sealed record GeneratedFile(string HintName, string Text);
}
