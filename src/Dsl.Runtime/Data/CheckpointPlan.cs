namespace Dsl.Runtime.Data;

/// <summary>
/// Where a fit keeps its checkpoint and what a checkpoint must match to be resumed from.
/// </summary>
/// <param name="Path">the checkpoint file, rewritten atomically after every iteration or epoch</param>
/// <param name="Resume">continue from the checkpoint; it must exist</param>
/// <param name="DataFingerprint">the <see cref="Data.DataFingerprint"/> of the data being fitted</param>
/// <param name="AcceptOtherData">resume even from a checkpoint written for other data (same shapes): the user's explicit choice</param>
public sealed record CheckpointPlan(string Path, bool Resume, string DataFingerprint, bool AcceptOtherData = false)
{
    private const string CannotResume = "cannot resume from this checkpoint";

    /// <summary>
    /// Reads the checkpoint as a <see cref="SealedFile"/> of this kind. Every failure, the file's own or one
    /// <paramref name="read"/> reports, becomes one line "PATH: cannot resume from this checkpoint: why".
    /// </summary>
    public T Read<T>(string kind, Func<BinaryReader, T> read)
    {
        if (Directory.Exists(Path)) throw Refusal("it is a folder, not a checkpoint; remove or rename it");
        if (!File.Exists(Path)) throw new InvalidDataException($"{Path}: no checkpoint to resume from; run without --resume to start a new fit");
        try
        {
            return SealedFile.Read(Path, kind, read);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(CannotResume))
        {
            throw Refusal(e.Message.StartsWith(Path + ": ", StringComparison.Ordinal) ? e.Message[(Path.Length + 2)..] : e.Message);
        }
    }

    /// <summary>Refuses, before any work, a checkpoint path that cannot be written: a folder stands there.</summary>
    public void RequireWritable()
    {
        if (Directory.Exists(Path)) throw new IOException($"{Path}: a folder is in the way of the checkpoint; remove or rename the folder");
    }

    /// <summary>Refuses a checkpoint written for other data, unless the user accepts that.</summary>
    public void RequireSameData(string recorded)
    {
        if (recorded == DataFingerprint || AcceptOtherData) return;
        throw Refusal($"it was written for other data (fingerprint {recorded}, these data {DataFingerprint}); " +
            "resume with the data that wrote it, start afresh without --resume, or pass --force to continue it on these data");
    }

    /// <summary>A settings fingerprint must match exactly: other settings would continue a different fit.</summary>
    public void RequireSameSettings(string recorded, string current)
    {
        if (recorded != current) throw Refusal($"it was written with other settings ({recorded}); rerun with those settings or without --resume");
    }

    public InvalidDataException Refusal(string why) => new($"{Path}: {CannotResume}: {why}");
}
