using System.Runtime.InteropServices;
using Dsl.Runtime.Data;

namespace Dsl.Runtime.Optimisation;

/// <summary>
/// An optimiser's state in a <see cref="SealedFile"/> (checksummed, written atomically): its kind, the settings and
/// data fingerprints, the history so far, and its arrays and numbers (L-BFGS: the point and the correction pairs;
/// Adam: the point and the moments), so a resumed run takes the steps the uninterrupted one would have.
/// </summary>
public static class OptimiserCheckpoint
{
    public static void Save(CheckpointPlan plan, string kind, string settings, IReadOnlyList<double[]> history, IReadOnlyList<double[]> arrays, IReadOnlyList<double> numbers) =>
        SealedFile.Write(plan.Path, kind, writer =>
        {
            writer.Write(settings);
            writer.Write(plan.DataFingerprint);
            writer.Write(history.Count);
            foreach (var row in history) Write(writer, row);
            writer.Write(arrays.Count);
            foreach (var array in arrays) Write(writer, array);
            Write(writer, numbers.ToArray());
        });

    /// <summary>
    /// Fills <paramref name="arrays"/> (each the length it was written with) and <paramref name="history"/>; returns the
    /// numbers. Refuses a checkpoint of another kind, settings, data or size, naming what differs.
    /// </summary>
    public static double[] Load(CheckpointPlan plan, string kind, string settings, List<double[]> history, IReadOnlyList<double[]> arrays) =>
        plan.Read(kind, reader =>
        {
            plan.RequireSameSettings(reader.ReadString(), settings);
            plan.RequireSameData(reader.ReadString());
            var rows = reader.ReadInt32();
            for (var r = 0; r < rows; r++) history.Add(Read(reader));
            if (reader.ReadInt32() != arrays.Count) throw plan.Refusal("it holds another optimiser's state");
            foreach (var array in arrays)
            {
                var stored = Read(reader);
                if (stored.Length != array.Length)
                    throw plan.Refusal($"it holds {stored.Length} values where this model has {array.Length}; resume with the plate sizes that wrote it");
                stored.CopyTo(array, 0);
            }
            return Read(reader);
        });

    /// <summary>A length, then the values' bytes (little-endian, as BinaryWriter writes a double).</summary>
    private static void Write(BinaryWriter writer, double[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static double[] Read(BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException();
        return values;
    }
}
