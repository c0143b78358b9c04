using Dsl.Runtime.Neural;
using Xunit;

namespace Dsl.Runtime.Tests.Neural;

/// <summary>The packed GEMM against a plain triple loop, for every orientation the layers use and for edge tiles.</summary>
public class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 13, 17, false, false)]      // every dimension an edge tile
    [InlineData(128, 560, 128, false, false)]  // an encoder layer
    [InlineData(560, 128, 128, true, false)]   // its weight gradient xᵀ·dy
    [InlineData(128, 128, 558, false, true)]   // an input gradient dy·Wᵀ
    [InlineData(37, 300, 41, true, true)]      // a depth longer than one block, both transposed
    public void MatchesNaiveProduct(int m, int k, int n, bool transposeA, bool transposeB)
    {
        var a = Fill(m * k, 1);
        var b = Fill(k * n, 2);
        var viewA = transposeA ? MatrixView<double>.RowMajor(a, k, m).Transposed() : MatrixView<double>.RowMajor(a, m, k);
        var viewB = transposeB ? MatrixView<double>.RowMajor(b, n, k).Transposed() : MatrixView<double>.RowMajor(b, k, n);
        var c = Fill(m * n, 3);
        var expected = (double[])c.Clone();
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++) sum += viewA[i, p] * viewB[p, j];
                expected[i * n + j] += sum;
            }
        Gemm.Multiply(viewA, viewB, c, 0, n, accumulate: true, threads: 2);
        for (var i = 0; i < c.Length; i++)
            // Summation order differs from the naive loop (blocks of 256, FMA); 1e-12 relative covers double rounding over k ≤ 560 terms.
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])) * k, $"element {i}: {c[i]} vs {expected[i]}");
    }

    [Fact]
    public void FloatResultIsIdenticalForAnyThreadCount()
    {
        var a = Fill(128 * 600, 4).Select(v => (float)v).ToArray();
        var b = Fill(600 * 300, 5).Select(v => (float)v).ToArray();
        var one = new float[128 * 300];
        var two = new float[128 * 300];
        Gemm.Multiply(MatrixView<float>.RowMajor(a, 128, 600), MatrixView<float>.RowMajor(b, 600, 300), one, 0, 300, false, threads: 1);
        Gemm.Multiply(MatrixView<float>.RowMajor(a, 128, 600), MatrixView<float>.RowMajor(b, 600, 300), two, 0, 300, false, threads: 2);
        Assert.Equal(one, two);
    }

    private static double[] Fill(int length, int seed) => Enumerable.Range(0, length).Select(i => Math.Sin(i * 0.37 + seed)).ToArray();
}
