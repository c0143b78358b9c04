using System.CommandLine;
using Dsl.Cli.Commands;
using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>The `dsl` command tree. Every failure the user can cause ends as one line on stderr and a non-zero exit.</summary>
public static class DslApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("dsl: compile, check, draw and fit probabilistic models of single-cell RNA-seq counts.")
        {
            CheckCommand.Create(output, error),
            GraphCommand.Create(output, error),
            DataCommand.Create(output, error),
            DemoCommand.Create(output, error),
        };
        foreach (var planned in PlannedCommands.Create(error)) root.Subcommands.Add(planned);

        try
        {
            // Our handlers below print user errors as one line; the library's default would print a stack trace.
            return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            error.WriteLine($"dsl: {e.Message}");
            return 1;
        }
        catch (DataFormatException e)
        {
            error.WriteLine($"dsl: {e.Message}");
            return 1;
        }
    }
}

/// <summary>A user error the CLI reports as one line.</summary>
public sealed class CliException(string message) : Exception(message);
