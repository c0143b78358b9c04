using Dsl.Runtime.Hmc;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Hmc;

/// <summary>The row kernels of generated sums against plain loops, at every length around their vector widths.</summary>
public sealed class RowsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(24)]
    [InlineData(37)]
    public void DotAndAddScaled_AgreeWithLoops(int length)
    {
        var random = new RandomStream(3, (ulong)length);
        var a = Enumerable.Range(0, length).Select(_ => random.NextNormal()).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => random.NextNormal()).ToArray();
        var expected = a.Zip(b, (x, y) => x * y).Sum();
        // Summed in another order (and fused): agreement to rounding, about 1e-15 of the terms' magnitude.
        Assert.Equal(expected, Rows.Dot(a, b), 1e-12);
        var destination = (double[])b.Clone();
        Rows.AddScaled(a, 0.7, destination);
        for (var k = 0; k < length; k++) Assert.Equal(b[k] + 0.7 * a[k], destination[k], 1e-15);
    }

    [Fact]
    public void Rows_OfTwoAndThreeWayArrays_AreTheirLastAxes()
    {
        var matrix = new double[3, 4];
        var cube = new double[2, 3, 4];
        for (var i = 0; i < 3; i++)
            for (var k = 0; k < 4; k++)
            {
                matrix[i, k] = 10 * i + k;
                cube[1, i, k] = 100 + 10 * i + k;
            }
        Assert.Equal([20.0, 21, 22, 23], Rows.Row(matrix, 2).ToArray());
        Assert.Equal([110.0, 111, 112, 113], Rows.Row(cube, 1, 1).ToArray());
        Assert.True(Rows.Row(new double[3, 0], 1).IsEmpty);
    }

    [Fact]
    public void RowsOfDifferentLengths_AreRefused() =>
        Assert.Throws<ArgumentException>(() => Rows.Dot(new double[3], new double[4]));
}
