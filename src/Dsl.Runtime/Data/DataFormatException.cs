namespace Dsl.Runtime.Data;

/// <summary>
/// Bad input, described in one line: the file, the place in it, what is wrong and how to fix it. Readers throw only
/// this, so the CLI can print <see cref="Exception.Message"/> and exit non-zero without a stack trace.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string path, long? line, string problem, string fix)
        : base($"{path}{(line is null ? "" : $":{line}")}: {problem}; {fix}")
    {
        FilePath = path;
        Line = line;
    }

    public string FilePath { get; }
    public long? Line { get; }
}
