using Dsl.Cli;

return DslApp.Run(args, Console.Out, Console.Error);
