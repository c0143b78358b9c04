using System;
using System.Text;

namespace Dsl.Generators.Emit
{
    /// <summary>An indented text writer with '\n' line endings, so output is identical on every platform.</summary>
    public sealed class SourceWriter
    {
        private readonly StringBuilder text = new();
        private int indent;

        public SourceWriter Line(string line = "")
        {
            if (line.Length > 0) text.Append(' ', indent * 4).Append(line);
            text.Append('\n');
            return this;
        }

        /// <summary>Writes "header {" and indents until the returned scope is disposed.</summary>
        public IDisposable Block(string header)
        {
            Line(header);
            return Braces();
        }

        /// <summary>Writes "{" and indents until the returned scope is disposed: a bare block, for locals of its own.</summary>
        public IDisposable Braces()
        {
            Line("{");
            indent++;
            return new Scope(this);
        }

        /// <summary>Indents by extra levels without braces (for code inside a lambda argument).</summary>
        public IDisposable Indent(int levels)
        {
            indent += levels;
            return new Outdent(this, levels);
        }

        public override string ToString() => text.ToString();

        /// <summary>Scopes opened one inside the other, closed innermost first by one dispose.</summary>
        public static IDisposable Nested(System.Collections.Generic.IReadOnlyList<IDisposable> scopes) => new Stack(scopes);

        private sealed class Stack : IDisposable
        {
            private readonly System.Collections.Generic.IReadOnlyList<IDisposable> scopes;
            public Stack(System.Collections.Generic.IReadOnlyList<IDisposable> scopes) { this.scopes = scopes; }

            public void Dispose()
            {
                for (var n = scopes.Count - 1; n >= 0; n--) scopes[n].Dispose();
            }
        }

        private sealed class Outdent : IDisposable
        {
            private readonly SourceWriter writer;
            private readonly int levels;
            public Outdent(SourceWriter writer, int levels) { this.writer = writer; this.levels = levels; }
            public void Dispose() => writer.indent -= levels;
        }

        private sealed class Scope : IDisposable
        {
            private readonly SourceWriter writer;
            public Scope(SourceWriter writer) { this.writer = writer; }

            public void Dispose()
            {
                writer.indent--;
                writer.Line("}");
            }
        }
    }
}
