using Microsoft.CodeAnalysis;

namespace Dsl.Compiler;

/// <summary>One diagnostic in the compiler's own format: <c>path(line,col): error DSL0003: message</c>.</summary>
public sealed record CompilerMessage(string Path, int Line, int Column, DiagnosticSeverity Severity, string Id, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public static CompilerMessage From(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        return new CompilerMessage(
            span.Path ?? "",
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            diagnostic.Severity,
            diagnostic.Id,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var where = Path.Length == 0 ? "" : $"{Path}({Line},{Column}): ";
        return $"{where}{severity} {Id}: {Message}";
    }
}
