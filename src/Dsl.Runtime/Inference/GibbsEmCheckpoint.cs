using Dsl.Runtime.Data;

namespace Dsl.Runtime.Inference;

/// <summary>
/// The state after an EM iteration: settings and data fingerprints, history, convergence streak, and the model's own
/// state, in a <see cref="SealedFile"/> (checksummed, written atomically), so a run killed at any moment leaves the
/// previous checkpoint intact and a damaged one is refused before it is believed.
/// </summary>
public static class GibbsEmCheckpoint
{
    /// <summary>The format's name and version; bumped whenever the generated state arrays change (2: bulk counts kept replicate-major; 3: expected allocations component-major; 4: sealed, with the data's fingerprint).</summary>
    private const string Kind = "dsl-gibbs-em-checkpoint-4";

    public static void Save(CheckpointPlan plan, GibbsEmOptions options, IGibbsEmModel model, IReadOnlyList<EmIteration> history, int streak) =>
        SealedFile.Write(plan.Path, Kind, writer =>
        {
            writer.Write(options.Fingerprint);
            writer.Write(plan.DataFingerprint);
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
    public static int Load(CheckpointPlan plan, GibbsEmOptions options, IGibbsEmModel model, List<EmIteration> history) =>
        plan.Read(Kind, reader =>
        {
            plan.RequireSameSettings(reader.ReadString(), options.Fingerprint);
            plan.RequireSameData(reader.ReadString());
            var streak = reader.ReadInt32();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++) history.Add(new EmIteration(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble()));
            model.LoadState(reader);
            return streak;
        });
}
