using Dsl.Runtime.Data.AnnData;

namespace Dsl.Cli;

/// <summary>--out-h5ad: which input is carried over, and the note for anything that could not be.</summary>
public static class AnnDataOutput
{
    /// <summary>The input path when it is an AnnData file (a 10x folder or a CSV gives a new file).</summary>
    public static string? SourceFor(string? input) => input is not null && File.Exists(input) && AnnDataReader.IsHdf5(input) ? input : null;

    public static void Write(string path, AnnDataContent content, TextWriter messages)
    {
        var leftOut = AnnDataWriter.Write(path, content);
        if (leftOut.Count > 0)
            messages.WriteLine($"note: {leftOut.Count} elements of {content.Source} have types this tool cannot copy and are not in {path}: {string.Join(", ", leftOut.Take(5))}{(leftOut.Count > 5 ? ", ..." : "")}");
    }
}
