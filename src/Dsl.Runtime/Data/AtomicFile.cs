namespace Dsl.Runtime.Data;

/// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees it half-written.</summary>
public static class AtomicFile
{
    /// <summary>The temporary sibling's name pattern: .NAME.PID.tmp (see <see cref="TemporaryOwner"/>).</summary>
    private const string TemporarySuffix = ".tmp";

    public static void Write(string path, Action<Stream> write)
    {
        using var pending = Open(path);
        write(pending.Stream);
        pending.Commit();
    }

    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        });

    /// <summary>
    /// A file being written: write to <see cref="Pending.Stream"/>, then <see cref="Pending.Commit"/> puts it in place.
    /// Disposing without a commit removes the temporary file and leaves any earlier file at the path as it was.
    /// </summary>
    public static Pending Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new IOException($"{path}: a folder is in the way of this output file; remove or rename the folder");
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}{TemporarySuffix}");
        return new Pending(full, temporary, new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16));
    }

    /// <summary>The process id in a temporary file's name (.NAME.PID.tmp), or null for any other name.</summary>
    public static int? TemporaryOwner(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return null;
        var stem = fileName[..^TemporarySuffix.Length];
        var dot = stem.LastIndexOf('.');
        return dot > 0 && int.TryParse(stem[(dot + 1)..], out var pid) ? pid : null;
    }

    public sealed class Pending(string path, string temporary, FileStream stream) : IDisposable
    {
        private bool committed;

        public Stream Stream => stream;

        public void Commit()
        {
            stream.Dispose();
            File.Move(temporary, path, overwrite: true);
            committed = true;
        }

        public void Dispose()
        {
            stream.Dispose();
            if (!committed && File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
