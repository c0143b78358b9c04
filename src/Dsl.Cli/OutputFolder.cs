using System.Diagnostics;
using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>
/// A command's --out folder, whose outputs the command owns: the files it writes are listed in a manifest of that
/// command (<see cref="ManifestPrefix"/> + its kind), and once a run has written all of its outputs, the files the
/// previous run of the same kind listed but this one did not write are removed (a Poisson fit leaves no theta.csv
/// from an earlier ZINB fit). Files no manifest of that kind lists are left alone: the user's own, and another
/// command's (an impute into a fit's folder does not remove the fit's model/). Temporary files of runs that died are
/// removed when the folder opens.
/// </summary>
public sealed class OutputFolder
{
    public const string ManifestPrefix = ".dsl-outputs-";

    private readonly HashSet<string> written = new(StringComparer.Ordinal);
    private readonly string kind;

    private OutputFolder(string path, string kind) => (Path, this.kind) = (path, kind);

    public string Path { get; }

    /// <summary>Creates the folder if needed; one line for a path that is a file or cannot be created.</summary>
    /// <param name="kind">the command whose outputs these are (fit, impute, eval, simulate): its manifest is its own</param>
    public static OutputFolder Open(string path, string kind, string option = "--out")
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliException($"{option} is empty; give a folder for the outputs");
        if (System.IO.File.Exists(path)) throw new CliException($"{option} {path}: is a file, not a folder; give a folder for the outputs");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: cannot create the folder ({e.Message.TrimEnd('.')}); choose a folder you can write to");
        }
        var folder = new OutputFolder(path, kind);
        folder.RemoveDeadTemporaries(path);
        return folder;
    }

    /// <summary>Opens the folder, lets <paramref name="write"/> write every output, then commits the manifest.</summary>
    public static void Write(string path, string kind, Action<OutputFolder> write, string option = "--out")
    {
        var folder = Open(path, kind, option);
        write(folder);
        folder.Commit();
    }

    /// <summary>The path of an output file (relative names may hold a subfolder, e.g. model/genes.txt), recorded as this run's.</summary>
    public string File(string name)
    {
        written.Add(name.Replace('\\', '/'));
        return System.IO.Path.Combine(Path, name);
    }

    /// <summary>Removes what the previous run listed and this one did not write, then lists this run's files.</summary>
    public void Commit()
    {
        var manifest = System.IO.Path.Combine(Path, ManifestPrefix + kind);
        foreach (var name in Previous(manifest).Where(n => !written.Contains(n)))
        {
            var stale = System.IO.Path.Combine(Path, name);
            if (System.IO.File.Exists(stale)) System.IO.File.Delete(stale);
        }
        AtomicFile.WriteText(manifest, string.Join("\n", written.Order(StringComparer.Ordinal)) + "\n");
    }

    /// <summary>Names the manifest lists, ignoring any that would leave the folder (a hand-edited manifest must not delete elsewhere).</summary>
    private static IEnumerable<string> Previous(string manifest)
    {
        if (!System.IO.File.Exists(manifest)) return [];
        return System.IO.File.ReadAllLines(manifest).Select(l => l.Trim())
            .Where(l => l.Length > 0 && !System.IO.Path.IsPathRooted(l) && !l.Split('/').Contains(".."));
    }

    private void RemoveDeadTemporaries(string path)
    {
        foreach (var directory in new[] { path }.Concat(Directory.EnumerateDirectories(path)))
            foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
                if (AtomicFile.TemporaryOwner(System.IO.Path.GetFileName(file)) is { } pid && !IsRunning(pid))
                    System.IO.File.Delete(file);
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
