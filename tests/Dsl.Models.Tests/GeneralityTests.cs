using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;
using Dsl.Runtime.Special;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>Models other than URSM, declared in this project and fitted by the same generated Gibbs-EM: parameter recovery.</summary>
public sealed class GeneralityTests
{
    [Fact]
    public void LogisticRegression_RecoversItsCoefficients()
    {
        double[] truth = [1.0, -2.0, 0.5];
        const int samples = 3000;
        var random = new RandomStream(11, 0);
        var model = new LogisticRegression { SampleCount = samples, FeatureCount = 3, priorVarianceValues = 1, xValues = new double[samples, 3], yValues = new int[samples] };
        for (var n = 0; n < samples; n++)
        {
            var psi = 0.0;
            for (var f = 0; f < 3; f++) psi += truth[f] * (model.xValues[n, f] = f == 0 ? 1 : random.NextNormal());
            model.yValues[n] = random.NextDouble() < SpecialFunctions.Logistic(psi) ? 1 : 0;
        }
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 100, Samples = 400, MaxIterations = 3, Seed = 2 }).Run(model);
        for (var f = 0; f < 3; f++)
        {
            // The posterior sd with 3000 samples is about 0.05-0.08; 0.25 is over three of them.
            Assert.InRange(model.betaPosteriorMean(new LogisticRegression.Feature(f)), truth[f] - 0.25, truth[f] + 0.25);
        }
        // The closed-form M-step sets the prior variance to the mean of E[beta^2]: about (1 + 4 + 0.25) / 3.
        Assert.InRange(model.priorVarianceValues, 1.2, 2.3);
    }

    [Fact]
    public void TopicModel_RecoversItsTopics()
    {
        const int words = 30, topics = 2, documents = 300, length = 300;
        var random = new RandomStream(13, 0);
        var phi = new double[words, topics];
        for (var v = 0; v < words; v++)
        {
            // Topic 0 favours the first half of the vocabulary, topic 1 the second.
            phi[v, 0] = v < words / 2 ? 3 : 1;
            phi[v, 1] = v < words / 2 ? 1 : 3;
        }
        Normalise(phi);
        var counts = new int[words, documents];
        var theta = new double[topics];
        var mixed = new double[words];
        var draw = new double[words];
        for (var d = 0; d < documents; d++)
        {
            Dirichlet.SampleRow([0.5, 0.5], theta, ref random);
            for (var v = 0; v < words; v++) mixed[v] = phi[v, 0] * theta[0] + phi[v, 1] * theta[1];
            Multinomial.SampleRow(length, mixed, draw, ref random);
            for (var v = 0; v < words; v++) counts[v, d] = (int)draw[v];
        }
        // Start from a flat profile tilted slightly the right way, so the labels of the two topics are not swapped.
        var start = new double[words, topics];
        for (var v = 0; v < words; v++)
        {
            start[v, 0] = v < words / 2 ? 1.1 : 0.9;
            start[v, 1] = v < words / 2 ? 0.9 : 1.1;
        }
        Normalise(start);
        var model = new TopicModel { WordCount = words, TopicCount = topics, DocumentCount = documents, countCounts = Dsl.Runtime.Models.RowMajor.ToCountMatrix(counts), phiValues = start, alphaValues = [1, 1] };
        new GibbsEmDriver(new GibbsEmOptions { BurnIn = 20, Samples = 40, MaxIterations = 15, Seed = 3 }).Run(model);
        var l1 = 0.0;
        for (var v = 0; v < words; v++) for (var t = 0; t < topics; t++) l1 += Math.Abs(model.phiValues[v, t] - phi[v, t]);
        // The flat start is 1.0 away in L1; sampling error of 300 x 300 words leaves about 0.1.
        Assert.True(l1 < 0.2, $"L1 loss of phi {l1:F3}");
        Assert.All(model.alphaValues, a => Assert.InRange(a, 0.3, 0.9));
    }

    private static void Normalise(double[,] columns)
    {
        for (var t = 0; t < columns.GetLength(1); t++)
        {
            var sum = 0.0;
            for (var v = 0; v < columns.GetLength(0); v++) sum += columns[v, t];
            for (var v = 0; v < columns.GetLength(0); v++) columns[v, t] /= sum;
        }
    }
}
