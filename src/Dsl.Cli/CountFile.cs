using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>Count matrices given on the command line: raw integer counts, one row per cell or sample (an .h5ad's X or --layer).</summary>
public static class CountFile
{
    public static CountMatrix Load(string path, string? layer = null)
    {
        // Dense text has samples as rows; 10x folders say their orientation in their names files.
        var options = new ReadOptions { RequireCounts = true, Orientation = Directory.Exists(path) ? Orientation.Auto : Orientation.CellsByGenes, Layer = layer };
        try
        {
            return MatrixLoader.Load(path, options);
        }
        catch (DataFormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}
