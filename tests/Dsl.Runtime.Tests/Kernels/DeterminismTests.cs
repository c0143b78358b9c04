using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>
/// Work split by element block, one stream per block: the same seed gives bit-identical output at any thread count,
/// because every draw is a function of (seed, stream, position) only.
/// </summary>
public sealed class DeterminismTests
{
    private static double[] Run(int threads, double[] z)
    {
        const int block = 1000;
        var result = new double[z.Length];
        Parallel.For(0, (z.Length + block - 1) / block, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            var random = new RandomStream(2026, (ulong)b);
            var start = b * block;
            var length = Math.Min(block, z.Length - start);
            PolyaGamma.SampleOne(z.AsSpan(start, length), result.AsSpan(start, length), ref random);
        });
        return result;
    }

    [Fact]
    public void PolyaGamma_SameSeed_SameBits_AtOneTwoAndEightThreads()
    {
        var random = new RandomStream(1, 0);
        var z = Enumerable.Range(0, 50_003).Select(_ => 0.5 + random.NextNormal()).ToArray();

        var one = Run(1, z);
        var two = Run(2, z);
        var eight = Run(8, z);

        Assert.Equal(one, two);
        Assert.Equal(one, eight);
        Assert.NotEqual(one, Run(1, z.Select(x => x + 1e-9).ToArray())); // and it does depend on its input
    }
}
