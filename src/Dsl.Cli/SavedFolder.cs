using System.Security.Cryptography;
using Dsl.Runtime.Data;

namespace Dsl.Cli;

/// <summary>
/// A saved model's folder: text files (gene lists, settings.json) beside parameters.bin, a <see cref="SealedFile"/>
/// holding the SHA-256 of each text file before the parameters, so a damaged or edited file anywhere in the folder is
/// refused, naming it.
/// </summary>
public static class SavedFolder
{
    public const string ParametersFile = "parameters.bin";

    /// <summary>Writes the text files (in the given order) and parameters.bin under <paramref name="subfolder"/> of the output.</summary>
    public static void Write(OutputFolder output, string subfolder, string kind, IReadOnlyList<(string Name, string Text)> texts, Action<BinaryWriter> writeParameters)
    {
        foreach (var (name, text) in texts) AtomicFile.WriteText(output.File(Path.Combine(subfolder, name)), text);
        SealedFile.Write(output.File(Path.Combine(subfolder, ParametersFile)), kind, writer =>
        {
            foreach (var (_, text) in texts) writer.Write(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
            writeParameters(writer);
        });
    }

    /// <summary>The parameters' bytes, after checking that the folder holds every text file unchanged; one clear line otherwise.</summary>
    /// <param name="writtenBy">the command that writes such a folder, for the message when there is none</param>
    public static byte[] ReadParameters(string folder, string kind, IReadOnlyList<string> textFiles, string writtenBy)
    {
        if (!Directory.Exists(folder)) throw new CliException($"{folder}: no such model folder; give the model/ folder `{writtenBy} --out DIR` wrote (DIR/model)");
        foreach (var name in textFiles.Append(ParametersFile)) Require(folder, name, textFiles);
        try
        {
            return SealedFile.Read(Path.Combine(folder, ParametersFile), kind, reader =>
            {
                foreach (var name in textFiles)
                    if (!reader.ReadBytes(32).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name)))))
                        throw new CliException($"{Path.Combine(folder, name)}: it was changed after the model was saved (its checksum differs from the one in {ParametersFile}); restore it or refit");
                return reader.ReadBytes((int)(reader.BaseStream.Length - reader.BaseStream.Position));
            });
        }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
    }

    /// <summary>A text file of the folder as non-empty lines (one name per line).</summary>
    public static List<string> Lines(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        return lines.Count > 0 ? lines : throw new CliException($"{path}: the file is empty; a model folder lists one name per line (refit to write it again)");
    }

    private static void Require(string folder, string name, IReadOnlyList<string> textFiles)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
            throw new CliException($"{path}: missing; a model folder holds {ParametersFile}, {string.Join(", ", textFiles.Take(textFiles.Count - 1))} and {textFiles[^1]}");
    }
}
