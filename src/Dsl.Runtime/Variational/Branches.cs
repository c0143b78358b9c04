using System;
using System.Threading.Tasks;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Variational;

/// <summary>
/// Independent parts of a minibatch step (the encoders of different latents, the heads on one trunk, forward and
/// backward) run side by side on up to <c>threads</c> threads. On two cores this is where the parallelism of a
/// step comes from: each part is a few hundred microseconds of single-threaded work, while splitting every small
/// GEMM and element loop across threads cost more in hand-offs than it saved. Each part writes only its own arrays
/// and draws from its own stretch of the minibatch's random stream, so results are identical at any thread count.
/// </summary>
public static class Branches
{
    public static void Run(int threads, params Action[] parts)
    {
        if (threads <= 1)
        {
            foreach (var part in parts) part();
            return;
        }
        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = threads }, parts);
    }

    /// <summary>Part <paramref name="part"/>'s random stream: its own stretch of 2³² Philox blocks of the minibatch's stream.</summary>
    public static RandomStream Stream(ulong seed, ulong stream, int part) => new(seed, stream, (ulong)part << 32);
}
