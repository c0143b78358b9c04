using Dsl.Runtime.Evaluation;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Evaluation;

public class ClusterScoreTests
{
    [Fact]
    public void AgreementScoresMatchHandComputedValues()
    {
        int[] predicted = [0, 0, 1, 1], truth = [0, 0, 1, 2];
        // ARI: index 1, expected 2·1/6, maximum 1.5 → (1 − 1/3)/(1.5 − 1/3) = 4/7.
        Assert.Equal(4.0 / 7.0, ClusterAgreement.AdjustedRandIndex(predicted, truth), 12);
        // Truth refines the prediction, so I = H(P) = ln 2 and NMI = √(ln 2 / H(T)) with H(T) = 1.5 ln 2.
        Assert.Equal(Math.Sqrt(1 / 1.5), ClusterAgreement.NormalizedMutualInformation(predicted, truth), 12);
        int[] relabelled = [2, 2, 0, 1];
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(relabelled, truth), 12);
        Assert.Equal(1.0, ClusterAgreement.NormalizedMutualInformation(relabelled, truth), 12);
    }

    [Fact]
    public void SilhouetteMatchesHandComputedValue()
    {
        float[] points = [0, 1, 10, 11];
        // Points 0 and 11: (10.5 − 1)/10.5; points 1 and 10: (9.5 − 1)/9.5.
        var expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
        Assert.Equal(expected, LatentGeometry.Silhouette(points, 4, 1, [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void KMeansRecoversSeparatedBlobs()
    {
        var (points, labels) = Blobs(rows: 300, clusters: 3, spread: 0.3, seed: 1);
        var found = KMeans.Cluster(points, 300, 2, 3, starts: 5, seed: 2);
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(found, labels), 12);
        // Identical for the same seed.
        Assert.Equal(found, KMeans.Cluster(points, 300, 2, 3, starts: 5, seed: 2));
    }

    [Fact]
    public void BatchMixingEntropySeparatesMixedFromApartBatches()
    {
        var (points, _) = Blobs(rows: 400, clusters: 1, spread: 1, seed: 3);
        var alternating = Enumerable.Range(0, 400).Select(i => i % 2).ToArray();
        // Batches drawn independently of position: each neighbourhood of 50 is a Binomial(50, ½) split, whose
        // expected entropy is ln 2 − about 1/(2·50) = 0.683; 100 probes average it to within ±0.01.
        Assert.InRange(LatentGeometry.BatchMixingEntropy(points, 400, 2, alternating, seed: 4), 0.66, 0.70);
        var apart = points.ToArray();
        for (var i = 0; i < 400; i += 2) apart[2 * i] += 100;
        Assert.Equal(0.0, LatentGeometry.BatchMixingEntropy(apart, 400, 2, alternating, seed: 4), 12);
    }

    private static (float[] Points, int[] Labels) Blobs(int rows, int clusters, double spread, ulong seed)
    {
        var random = new RandomStream(seed, 0);
        var points = new float[rows * 2];
        var labels = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            labels[i] = i % clusters;
            points[2 * i] = (float)(10 * labels[i] + spread * random.NextNormal());
            points[2 * i + 1] = (float)(5 * (labels[i] % 2) + spread * random.NextNormal());
        }
        return (points, labels);
    }
}
