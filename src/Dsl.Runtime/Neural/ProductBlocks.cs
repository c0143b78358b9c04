namespace Dsl.Runtime.Neural;

/// <summary>
/// How many entries a row-blocked matrix product holds at a time in generated log densities (see the generator's
/// MatrixProductEmitter): about a million (8 MB), large for GEMM's panels and small beside the data. A test may
/// lower it for the code it runs (it flows with the async context, so other tests are not affected) to exercise many
/// blocks on small data; the values computed do not depend on it beyond rounding.
/// </summary>
public static class ProductBlocks
{
    public const int DefaultEntries = 1 << 20;

    private static readonly AsyncLocal<int?> entries = new();

    public static int Entries => entries.Value ?? DefaultEntries;

    /// <summary>Blocks of at most <paramref name="count"/> entries until the returned scope is disposed.</summary>
    public static IDisposable Limit(int count)
    {
        var previous = entries.Value;
        entries.Value = count;
        return new Restore(previous);
    }

    private sealed class Restore(int? previous) : IDisposable
    {
        public void Dispose() => entries.Value = previous;
    }
}
