using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dsl.Runtime.Inference;

/// <summary>Views of parameter arrays of any rank as one flat row-major span, as the M-step's optimiser sees them.</summary>
public static class ParameterArrays
{
    public static Span<double> Flat(Array values) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(values)), values.Length);

    /// <summary>Writes the length, then the raw values (checkpoints are read back on the machine that wrote them).</summary>
    public static void Write<T>(BinaryWriter writer, ReadOnlySpan<T> values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void Write<T>(BinaryWriter writer, T[] values) where T : unmanaged => Write(writer, (ReadOnlySpan<T>)values);

    public static void Read<T>(BinaryReader reader, Span<T> values, string what) where T : unmanaged
    {
        var length = reader.ReadInt32();
        if (length != values.Length) throw new InvalidDataException($"the checkpoint holds {length} values of {what}, the model has {values.Length}");
        var bytes = MemoryMarshal.AsBytes(values);
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException();
    }

    public static void Read<T>(BinaryReader reader, T[] values, string what) where T : unmanaged => Read(reader, values.AsSpan(), what);
}
