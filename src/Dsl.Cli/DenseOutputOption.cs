using System.CommandLine;

namespace Dsl.Cli;

/// <summary>How outputs the size of the count matrix (one value per cell and gene) are written.</summary>
public enum DenseOutput
{
    Csv,
    Gzip,
    None,
}

/// <summary>The --dense option: csv (default), gz (gzip-compressed .csv.gz) or none (left out: at 200,000 cells x 2,000 genes each such table is about 8 GB of text).</summary>
public static class DenseOutputOption
{
    public static Option<string> Create(string tables) => new("--dense")
    {
        Description = $"How to write {tables} (a value per cell and gene): csv, gz (gzip-compressed, .csv.gz) or none.",
        DefaultValueFactory = _ => "csv",
    };

    public static DenseOutput Parse(string value) => value switch
    {
        "csv" => DenseOutput.Csv,
        "gz" => DenseOutput.Gzip,
        "none" => DenseOutput.None,
        _ => throw new CliException($"--dense '{value}' is not one of csv, gz, none"),
    };

    /// <summary>The file name of a dense table under this choice ("imputed.csv" or "imputed.csv.gz").</summary>
    public static string FileName(string stem, DenseOutput dense) => dense == DenseOutput.Gzip ? stem + ".csv.gz" : stem + ".csv";
}
