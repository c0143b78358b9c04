using Dsl.Runtime.Data;

namespace Dsl.Runtime.Optimisation;

/// <summary>
/// The state of an L-BFGS fit in a <see cref="SealedFile"/> (checksummed, written atomically): settings and data
/// fingerprints, the history so far, the point, the loss there and the correction pairs, so a resumed run takes the
/// steps the uninterrupted one would have.
/// </summary>
public static class PointEstimationCheckpoint
{
    private const string Kind = "dsl-lbfgs-checkpoint-1";

    public static void Save(CheckpointPlan plan, PointEstimationOptions options, Lbfgs search, IReadOnlyList<double[]> history) =>
        SealedFile.Write(plan.Path, Kind, writer =>
        {
            writer.Write(options.Fingerprint);
            writer.Write(plan.DataFingerprint);
            writer.Write(search.X.Length);
            writer.Write(history.Count);
            foreach (var row in history) Write(writer, row);
            Write(writer, search.X);
            writer.Write(search.Value);
            writer.Write(search.Evaluations);
            writer.Write(search.Stored);
            writer.Write(search.Newest);
            Write(writer, search.Rho);
            for (var j = 0; j < search.S.Length; j++)
            {
                Write(writer, search.S[j]);
                Write(writer, search.Y[j]);
            }
        });

    /// <summary>Restores the search and the history written before; refuses a checkpoint of other settings, data or size.</summary>
    public static void Load(CheckpointPlan plan, PointEstimationOptions options, Lbfgs search, List<double[]> history) =>
        plan.Read(Kind, reader =>
        {
            plan.RequireSameSettings(reader.ReadString(), options.Fingerprint);
            plan.RequireSameData(reader.ReadString());
            var length = reader.ReadInt32();
            if (length != search.X.Length) throw plan.Refusal($"it holds {length} parameter values, not this model's {search.X.Length}; resume with the plate sizes that wrote it");
            var rows = reader.ReadInt32();
            for (var r = 0; r < rows; r++) history.Add(Read(reader));
            Read(reader).CopyTo(search.X, 0);
            var (value, evaluations, stored, newest) = (reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            var rho = Read(reader);
            if (rho.Length != search.Rho.Length) throw plan.Refusal($"it keeps {rho.Length} correction pairs, not {search.Rho.Length}");
            rho.CopyTo(search.Rho, 0);
            for (var j = 0; j < search.S.Length; j++)
            {
                Read(reader).CopyTo(search.S[j], 0);
                Read(reader).CopyTo(search.Y[j], 0);
            }
            search.Restore(value, stored, newest, evaluations);
            return 0;
        });

    /// <summary>A length, then the values' bytes (little-endian, as BinaryWriter writes a double).</summary>
    private static void Write(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static double[] Read(BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException();
        return values;
    }
}
