using Dsl.Runtime.Data;

namespace Dsl.Runtime.Inference;

/// <summary>
/// The state after an EM iteration: settings fingerprint, history, convergence streak, and the model's own state.
/// Written atomically, so a run killed at any moment leaves the previous checkpoint intact.
/// </summary>
public static class GibbsEmCheckpoint
{
    /// <summary>The format's name and version; bumped whenever the generated state arrays change (2: bulk counts kept replicate-major; 3: expected allocations component-major).</summary>
    private const string Magic = "dsl-gibbs-em-checkpoint-3";

    private const string MagicPrefix = "dsl-gibbs-em-checkpoint-";

    public static void Save(string path, GibbsEmOptions options, IGibbsEmModel model, IReadOnlyList<EmIteration> history, int streak) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream);
            writer.Write(Magic);
            writer.Write(options.Fingerprint);
            writer.Write(streak);
            writer.Write(history.Count);
            foreach (var h in history)
            {
                writer.Write(h.Index);
                writer.Write(h.ExpectedCompleteLogLikelihood);
                writer.Write(h.Seconds);
            }
            model.SaveState(writer);
        });

    /// <summary>Restores the model and history; returns the convergence streak.</summary>
    public static int Load(string path, GibbsEmOptions options, IGibbsEmModel model, List<EmIteration> history)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            var magic = reader.ReadString();
            if (magic != Magic)
                throw Bad(path, magic.StartsWith(MagicPrefix, StringComparison.Ordinal)
                    ? "it was written by another version of dsl; rerun without --resume"
                    : "it is not a Gibbs-EM checkpoint");
            var fingerprint = reader.ReadString();
            if (fingerprint != options.Fingerprint)
                throw Bad(path, $"it was written with other settings ({fingerprint}); rerun with those settings or without --resume");
            var streak = reader.ReadInt32();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++) history.Add(new EmIteration(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble()));
            model.LoadState(reader);
            return streak;
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "it ends early; delete it to start afresh");
        }
    }

    private static InvalidDataException Bad(string path, string why) => new($"{path}: cannot resume from this checkpoint: {why}");
}
