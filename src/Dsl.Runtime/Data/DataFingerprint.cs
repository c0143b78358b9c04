using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Dsl.Runtime.Data;

/// <summary>
/// A short hash of the data a fit saw (values, shapes and names), recorded in checkpoints and saved models so that
/// resuming on, or describing, other data is noticed rather than silently accepted. Two data sets with the same
/// fingerprint are the same data in the same order.
/// </summary>
public sealed class DataFingerprint : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public DataFingerprint Add(string label, CountMatrix? matrix)
    {
        Add(label, matrix is null ? -1 : matrix.Cells);
        if (matrix is null) return this;
        Add(matrix.Genes);
        AddSpan<int>(matrix.RowStarts);
        AddSpan<int>(matrix.Columns);
        AddSpan<double>(matrix.Values);
        foreach (var name in matrix.CellNames) Add(name);
        foreach (var name in matrix.GeneNames) Add(name);
        return this;
    }

    public DataFingerprint Add(string label, int[,]? values)
    {
        Add(label, values is null ? -1 : values.GetLength(0));
        if (values is null) return this;
        Add(values.GetLength(1));
        if (values.Length > 0) AddSpan(MemoryMarshal.CreateReadOnlySpan(ref values[0, 0], values.Length));
        return this;
    }

    public DataFingerprint Add(string label, IReadOnlyList<int>? values)
    {
        Add(label, values?.Count ?? -1);
        if (values is not null) foreach (var v in values) Add(v);
        return this;
    }

    public DataFingerprint Add(string label, IReadOnlyList<string>? values)
    {
        Add(label, values?.Count ?? -1);
        if (values is not null) foreach (var v in values) Add(v);
        return this;
    }

    /// <summary>A named array of any shape (a data file's member).</summary>
    public DataFingerprint Add(string label, IReadOnlyList<int> shape, ReadOnlySpan<double> values)
    {
        Add(label, shape.Count);
        foreach (var size in shape) Add(size);
        AddSpan(values);
        return this;
    }

    /// <summary>The first 16 bytes of the SHA-256, as 32 hex digits.</summary>
    public string Finish() => Convert.ToHexString(hash.GetHashAndReset().AsSpan(0, 16)).ToLowerInvariant();

    public void Dispose() => hash.Dispose();

    private void Add(string label, int length)
    {
        Add(label);
        Add(length);
    }

    private void Add(string text)
    {
        Add(Encoding.UTF8.GetByteCount(text));
        hash.AppendData(Encoding.UTF8.GetBytes(text));
    }

    private void Add(int value) => AddSpan<int>([value]);

    private void AddSpan<T>(ReadOnlySpan<T> values) where T : unmanaged => hash.AppendData(MemoryMarshal.AsBytes(values));
}
