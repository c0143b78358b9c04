using Dsl.Runtime.Inference.MStep;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Tests.Inference;

/// <summary>The widened byte-state products equal the plain loops at every length around the 8-byte blocks.</summary>
public sealed class ByteStatesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(203)]
    public void DotAndAddScaled_MatchThePlainLoops(int length)
    {
        var random = new RandomStream(3, 0);
        var weights = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.3).ToArray();
        var states = Enumerable.Range(0, length).Select(_ => (byte)(random.NextUInt32() % 3)).ToArray(); // not only 0/1
        var expected = 0.0;
        for (var e = 0; e < length; e++) expected += weights[e] * states[e];

        // The vector path sums in a different order; 1e-12 relative is far below one wrong term (>= 1e-3 here).
        Assert.Equal(expected, ByteStates.Dot(weights, states), 1e-12 * (1 + Math.Abs(expected)));

        var target = (double[])weights.Clone();
        ByteStates.AddScaled(target, 2.5, states);
        for (var e = 0; e < length; e++) Assert.Equal(weights[e] + 2.5 * states[e], target[e], 1e-15);
    }
}
