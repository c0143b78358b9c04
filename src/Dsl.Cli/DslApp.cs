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
            BenchCommand.Create(output, error),
            DemoCommand.Create(output, error),
            SimulateCommand.Create(output, error),
            FitCommand.Create(output, error),
            ReproCommand.Create(output, error),
            EvalCommand.Create(output, error),
            ImputeCommand.Create(output, error),
            DeCommand.Create(output, error),
            ReportCommand.Create(output, error),
        };
        // Read before parsing (see DebugFlag); declared so that --help lists it.
        root.Options.Add(new Option<bool>(DebugFlag) { Description = "On an error, also print the internal trace (for bug reports).", Recursive = true });

        var debug = args.Contains(DebugFlag);
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                // One line, not the library's help block: what is wrong and where the usage is.
                var command = CommandPath(parsed.CommandResult);
                var problems = string.Join("; ", parsed.Errors.Select(e => OneLine(e.Message)).Distinct());
                error.WriteLine($"{command}: {problems}; see '{command} --help'");
                return 1;
            }
            // Our handlers below print user errors as one line; the library's default would print a stack trace.
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e, debug, error);
        }
    }

    /// <summary>Prints a failure as one line (plus the trace with <see cref="DebugFlag"/>); returns the exit code.</summary>
    public static int Report(Exception e, bool debug, TextWriter error)
    {
        var failure = Unwrap(e);
        var expected = IsExpected(failure);
        error.WriteLine(expected
            ? $"dsl: {OneLine(failure.Message)}{Hint(failure)}"
            : $"dsl: internal error ({failure.GetType().Name}: {OneLine(failure.Message)}); this is a bug in dsl: please report it with the command line " +
              $"and this line{(debug ? " and the trace below" : $" (rerun with {DebugFlag} for the trace)")} to the dsl issue tracker");
        if (debug) error.WriteLine(e);
        return expected ? 1 : 70;
    }

    /// <summary>A global flag (anywhere on the command line): after the one-line message, print the exception's trace.</summary>
    public const string DebugFlag = "--debug";

    /// <summary>
    /// Failures the user can cause or fix (bad input, files, disk, memory): one line and exit 1. Anything else is a
    /// bug and says so, with exit 70 (EX_SOFTWARE).
    /// </summary>
    private static bool IsExpected(Exception e) => e is CliException or DataFormatException or IOException or UnauthorizedAccessException
        or InvalidDataException or OutOfMemoryException or OperationCanceledException;

    /// <summary>The fix for a system failure whose message names none (our own messages carry theirs after a ';').</summary>
    private static string Hint(Exception failure) => failure.Message.Contains(';') ? "" : failure switch
    {
        IOException or UnauthorizedAccessException => "; check the path, its permissions and the free disk space",
        OutOfMemoryException => "; the sizes asked for need more memory than there is: reduce them (or write fewer outputs, e.g. --dense none)",
        _ => "",
    };

    /// <summary>The one failure inside a parallel loop's wrapper, which says nothing itself.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerExceptions[0];
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }

    /// <summary>A multi-line library message (e.g. a list of suggestions) as one line.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (lines.Length == 1 ? lines[0] : lines[0] + " " + string.Join(", ", lines.Skip(1))).TrimEnd('.');
    }

    /// <summary>"dsl data info" for the command a parse stopped in.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Parent is null ? "dsl" : result.Command.Name);
        return string.Join(" ", names);
    }
}

/// <summary>A user error the CLI reports as one line.</summary>
public sealed class CliException(string message) : Exception(message);
