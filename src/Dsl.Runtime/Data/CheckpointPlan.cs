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
    /// <summary>Refuses a resume without a checkpoint to resume from: starting afresh silently would lose the user's intent.</summary>
    public void RequireCheckpointIfResuming()
    {
        if (!Resume) return;
        if (Directory.Exists(Path))
            throw new InvalidDataException($"{Path}: is a folder, not a checkpoint; remove or rename it");
        if (!File.Exists(Path))
            throw new InvalidDataException($"{Path}: no checkpoint to resume from; run without --resume to start a new fit");
    }

    /// <summary>The line for a checkpoint whose data fingerprint differs, or nothing when it matches or the user accepts it.</summary>
    public void RequireSameData(string recorded)
    {
        if (recorded == DataFingerprint || AcceptOtherData) return;
        throw new InvalidDataException($"{Path}: cannot resume from this checkpoint: it was written for other data (fingerprint {recorded}, these data {DataFingerprint}); " +
            "resume with the data that wrote it, start afresh without --resume, or pass --force to continue it on these data");
    }

    /// <summary>A message about this checkpoint without its leading "path: ", to be re-prefixed with more context.</summary>
    public string WithoutPath(string message) => message.StartsWith(Path + ": ", StringComparison.Ordinal) ? message[(Path.Length + 2)..] : message;
}
