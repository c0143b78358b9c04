using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dsl.Generators.Diagnostics
{
    /// <summary>A symbol-free, value-equal source location (Roslyn's Location holds a syntax tree).</summary>
    public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo From(SyntaxNode node) => From(node.GetLocation());

        public static LocationInfo From(SyntaxToken token) => From(token.GetLocation());

        public static LocationInfo From(Location location) =>
            new(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>One-based line, as editors and compiler messages show it.</summary>
        public int Line => LineSpan.Start.Line + 1;
    }
}
