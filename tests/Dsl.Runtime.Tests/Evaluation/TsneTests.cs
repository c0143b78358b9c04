using Dsl.Runtime.Evaluation;

namespace Dsl.Runtime.Tests.Evaluation;

public sealed class TsneTests
{
    /// <summary>
    /// Three well-separated Gaussian clusters in 10 dimensions (60 points each): in the plane, every point's 10 nearest
    /// neighbours are from its own cluster for at least 95 % of the points. t-SNE keeps local structure, so this fails
    /// only if affinities or the gradient are wrong (a sign error scatters the points; a wrong bandwidth merges clusters).
    /// </summary>
    [Fact]
    public void SeparatedClusters_StaySeparatedInThePlane_AndTheSeedFixesTheResult()
    {
        const int perCluster = 60, d = 10, n = 3 * perCluster;
        var random = new System.Random(4);
        var points = new float[n * d];
        for (var i = 0; i < n; i++)
            for (var k = 0; k < d; k++) points[i * d + k] = (float)((k == i / perCluster ? 8.0 : 0.0) + random.NextDouble() - 0.5);

        var y = Tsne.Embed(points, n, d, seed: 3, perplexity: 20);

        var pure = 0;
        for (var i = 0; i < n; i++)
        {
            var nearest = Enumerable.Range(0, n).Where(j => j != i)
                .OrderBy(j => Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2)).Take(10);
            if (nearest.All(j => j / perCluster == i / perCluster)) pure++;
        }
        Assert.True(pure >= 0.95 * n, $"{pure} of {n} points have only their own cluster among their 10 nearest neighbours");
        Assert.Equal(y, Tsne.Embed(points, n, d, seed: 3, perplexity: 20));
    }
}
