using System.Globalization;
using Dsl.Tests.Shared;

namespace Dsl.Cli.Tests.Declared;

/// <summary>Seurat's cluster of each of data/pbmc_small's cells (its metadata's `ident` column), by cell name.</summary>
internal static class PbmcClusters
{
    public static Dictionary<string, int> ByCell() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Pbmc, "cells_metadata.csv")).Skip(1)
            .ToDictionary(l => l.Split(',')[0].Trim('"'), l => int.Parse(l.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture));
}
