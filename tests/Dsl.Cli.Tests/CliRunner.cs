namespace Dsl.Cli.Tests;

/// <summary>Runs the `dsl` command in-process and captures its exit code, standard output and standard error.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) RunDsl(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = DslApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
