using Dsl.Runtime.Models;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Models;

/// <summary>Stephens's relabelling against draws whose labellings are known.</summary>
public sealed class LabelAlignmentTests
{
    [Fact]
    public void ChainsInOtherLabellings_AndASwitchWithinAChain_AreMappedOntoTheFirstChainsLabels()
    {
        // Two chains of 200 draws of three centres near −5, 0 and 5 (sd 0.3) and of the labels of two points that sit
        // at the first and third centres. The second chain holds the centres as (5, −5, 0); the first switches its
        // first two labels for draws 50-59.
        const int length = 200, labels = 3;
        var centres = new[] { -5.0, 0, 5 };
        var random = new RandomStream(11, 0);
        var mu = new float[2 * length * labels];
        var z = new float[2 * length * 2];
        for (var s = 0; s < 2 * length; s++)
        {
            var permutation = s >= length ? new[] { 2, 0, 1 } : s is >= 50 and < 60 ? new[] { 1, 0, 2 } : new[] { 0, 1, 2 };
            for (var k = 0; k < labels; k++) mu[s * labels + k] = (float)(centres[permutation[k]] + 0.3 * random.NextNormal());
            // A point at centre c carries the label k with permutation[k] = c.
            z[s * 2] = Array.IndexOf(permutation, 0);
            z[s * 2 + 1] = Array.IndexOf(permutation, 2);
        }
        var changed = LabelAlignment.Align(2 * length, labels, [new LabelAlignment.Labelled(mu, [labels], 0, Guides: true)], [z], length);
        Assert.Equal(length + 10, changed);
        for (var s = 0; s < 2 * length; s++)
        {
            // 0.3 sd noise: every centre stays within 2 of its own value (over 6 sd) and 5 from the others.
            for (var k = 0; k < labels; k++) Assert.InRange(mu[s * labels + k], centres[k] - 2, centres[k] + 2);
            Assert.Equal([0f, 2f], z.AsSpan(s * 2, 2).ToArray());
        }
    }

    [Fact]
    public void ManyLabels_AreMatchedGreedily_WhenTheyAreWellSeparated()
    {
        // Eight labels (beyond the exhaustive search's six): centres 0, 10, ..., 70 with sd 0.5, the second chain's
        // labels reversed. Every centre is 20 sd from its neighbours, so the cheapest pairs are the right ones.
        const int length = 100, labels = 8;
        var random = new RandomStream(5, 0);
        var mu = new float[2 * length * labels];
        for (var s = 0; s < 2 * length; s++)
            for (var k = 0; k < labels; k++) mu[s * labels + k] = (float)(10.0 * (s < length ? k : labels - 1 - k) + 0.5 * random.NextNormal());
        Assert.Equal(length, LabelAlignment.Align(2 * length, labels, [new LabelAlignment.Labelled(mu, [labels], 0, Guides: true)], [], length));
        for (var s = 0; s < 2 * length; s++)
            for (var k = 0; k < labels; k++) Assert.InRange(mu[s * labels + k], 10.0 * k - 3, 10.0 * k + 3);
    }

    [Fact]
    public void ANodeOverTwoPlates_IsPermutedAlongTheLabelledAxisOnly()
    {
        // weights(g, k) for 2 groups x 2 labels, and centres(k): one draw with the labels swapped.
        var centres = new float[] { -3, 3, 3, -3 };
        var weights = new float[] { 0.1f, 0.9f, 0.2f, 0.8f, 0.9f, 0.1f, 0.8f, 0.2f };
        LabelAlignment.Align(2, 2, [new LabelAlignment.Labelled(centres, [2], 0, true), new LabelAlignment.Labelled(weights, [2, 2], 1, false)], [], 1);
        Assert.Equal([-3f, 3f, -3f, 3f], centres);
        Assert.Equal([0.1f, 0.9f, 0.2f, 0.8f, 0.1f, 0.9f, 0.2f, 0.8f], weights);
    }
}
