using System.Numerics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Neural;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The state after an epoch: settings and data fingerprints, history, early-stopping state, parameters (with
/// batch-norm running statistics) and Adam's moments, in a <see cref="SealedFile"/> (checksummed, written atomically),
/// so a run killed at any moment leaves the previous one and a damaged one is refused before it is believed.
/// </summary>
public static class VariationalCheckpoint
{
    /// <summary>The format's name and version (2: sealed, with the data's fingerprint).</summary>
    private const string Kind = "dsl-vi-checkpoint-2";

    public static void Save<T>(CheckpointPlan plan, VariationalOptions options, IVariationalModel<T> model, Adam<T> adam, IReadOnlyList<EpochRecord> history,
        double best, int sinceBest) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        SealedFile.Write(plan.Path, Kind, writer =>
        {
            writer.Write(options.Fingerprint);
            writer.Write(plan.DataFingerprint);
            writer.Write(model.Elements);
            writer.Write(best);
            writer.Write(sinceBest);
            writer.Write(history.Count);
            foreach (var h in history)
            {
                writer.Write(h.Epoch);
                writer.Write(h.KlWeight);
                WriteArray(writer, h.Training);
                writer.Write(h.TrainingElbo);
                WriteArray(writer, h.Validation);
                writer.Write(h.ValidationElbo);
                writer.Write(h.Seconds);
            }
            model.Parameters.Write(writer);
            adam.Write(writer);
            (model as ICheckpointExtras)?.WriteExtras(writer);
        });

    /// <summary>Restores parameters, optimiser and history; returns the early-stopping state.</summary>
    public static (double Best, int SinceBest) Load<T>(CheckpointPlan plan, VariationalOptions options, IVariationalModel<T> model, Adam<T> adam, List<EpochRecord> history)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        plan.Read(Kind, reader =>
        {
            plan.RequireSameSettings(reader.ReadString(), options.Fingerprint);
            plan.RequireSameData(reader.ReadString());
            var elements = reader.ReadInt32();
            if (elements != model.Elements) throw plan.Refusal($"it was written for {elements} cells, not {model.Elements}");
            var best = reader.ReadDouble();
            var sinceBest = reader.ReadInt32();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
                history.Add(new EpochRecord(reader.ReadInt32(), reader.ReadDouble(), ReadArray(reader), reader.ReadDouble(), ReadArray(reader), reader.ReadDouble(), reader.ReadDouble()));
            try
            {
                model.Parameters.Read(reader);
            }
            catch (InvalidDataException e)
            {
                // E.g. another --likelihood or --latent: the parameter names or sizes differ.
                throw plan.Refusal($"it holds another model's parameters ({e.Message}); resume with the model and sizes that wrote it, or start afresh without --resume");
            }
            adam.Read(reader);
            (model as ICheckpointExtras)?.ReadExtras(reader);
            return (best, sinceBest);
        });

    private static void WriteArray(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    private static double[] ReadArray(BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
        return values;
    }
}
