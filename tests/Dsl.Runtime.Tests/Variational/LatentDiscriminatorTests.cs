using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;
using Xunit;

namespace Dsl.Runtime.Tests.Variational;

/// <summary>The adversarial discriminator: it learns to tell apart two plates' latents, and its fooling penalty then rises.</summary>
public class LatentDiscriminatorTests
{
    private static (double[] Samples, double[] Gradient, int Rows) Cloud(int rows, double shift, ulong seed)
    {
        var random = new RandomStream(seed, 1);
        var samples = new double[rows * 2];
        for (var i = 0; i < samples.Length; i++) samples[i] = random.NextNormal() + (i % 2 == 0 ? shift : 0);
        return (samples, new double[rows * 2], rows);
    }

    [Fact]
    public void TrainingSeparatesShiftedClouds_AndRaisesTheFoolingPenalty()
    {
        var discriminator = new LatentDiscriminator<double>(new AdversarialGroup("modality", Kappa: 1, Hidden: 16, Layers: 2, Dropout: 0, ["a", "b"]), width: 2, seed: 3);
        var plates = new List<(double[], double[], int)> { Cloud(64, -2, 1), Cloud(64, 2, 2) };
        var random = new RandomStream(5, 0);
        var before = discriminator.Fool(plates, training: false, lossRows: 0, ref random) / 128;
        var first = discriminator.Train(plates, ref random);
        var last = first;
        for (var step = 0; step < 400; step++) last = discriminator.Train(plates, ref random);
        var after = discriminator.Fool(plates, training: false, lossRows: 0, ref random) / 128;
        // Clouds 4 sds apart overlap on ~2 % of their mass: a trained classifier's cross-entropy falls far below log 2 (0.69),
        // and the fooling loss (the cross-entropy of the wrong plate) rises far above it.
        Assert.True(first > 0.4, $"first cross-entropy {first}");
        Assert.True(last < 0.2, $"cross-entropy after training {last}");
        Assert.True(after > before + 1, $"fooling penalty {before} -> {after}");
    }

    [Fact]
    public void FoolingGradient_MatchesFiniteDifferences()
    {
        var discriminator = new LatentDiscriminator<double>(new AdversarialGroup("modality", Kappa: 2, Hidden: 8, Layers: 2, Dropout: 0, ["a", "b"]), width: 2, seed: 4);
        var plates = new List<(double[] Samples, double[] Gradient, int Rows)> { Cloud(5, -1, 3), Cloud(4, 1, 4) };
        var random = new RandomStream(6, 0);
        // Evaluation mode (running batch statistics, no dropout): the penalty is a smooth function of the samples.
        discriminator.Fool(plates, training: false, lossRows: 9, ref random);
        foreach (var (samples, gradient, _) in plates)
            for (var i = 0; i < samples.Length; i++)
            {
                var original = samples[i];
                const double h = 1e-6;
                samples[i] = original + h;
                var up = discriminator.Fool(plates, training: false, lossRows: 0, ref random);
                samples[i] = original - h;
                var down = discriminator.Fool(plates, training: false, lossRows: 0, ref random);
                samples[i] = original;
                var numeric = (up - down) / (2 * h) / 9;
                // Central differences at h = 1e-6 on a loss of order 10: rounding ~1e-10, curvature ~1e-12.
                Assert.True(Math.Abs(gradient[i] - numeric) < 1e-7 + 1e-6 * Math.Abs(numeric), $"sample {i}: {gradient[i]} vs {numeric}");
            }
    }
}
