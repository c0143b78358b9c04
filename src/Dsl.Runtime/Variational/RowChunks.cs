using System;
using System.Threading.Tasks;

namespace Dsl.Runtime.Variational;

/// <summary>
/// Splits a minibatch's rows into a fixed number of chunks whatever the thread count, so per-chunk partial sums
/// are reduced in the same order and the result is identical at any number of threads.
/// </summary>
public static class RowChunks
{
    public const int Count = 8;

    public static void For(int rows, int threads, Action<int, int, int> body)
    {
        if (threads <= 1)
        {
            for (var chunk = 0; chunk < Count; chunk++) body(chunk, Start(rows, chunk), Start(rows, chunk + 1));
            return;
        }
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk => body(chunk, Start(rows, chunk), Start(rows, chunk + 1)));
    }

    private static int Start(int rows, int chunk) => (int)((long)rows * chunk / Count);
}
