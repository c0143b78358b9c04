using System.CommandLine;

namespace Dsl.Cli;

/// <summary>The --layer option of every command that reads counts: which AnnData layer holds them (X when left out).</summary>
public static class LayerOption
{
    public static Option<string?> Create() => new("--layer")
    {
        Description = "AnnData (.h5ad) input: read the counts from this layer (e.g. counts) instead of X.",
    };
}
