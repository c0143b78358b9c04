using Dsl.Runtime.Neural;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Tests.Variational;

public sealed class NanRestartTests
{
    /// <summary>
    /// A one-parameter model whose likelihood per element is −(w − 3)²; it returns NaN once, on the first minibatch
    /// of a chosen epoch, as a diverging step would. It records w at the start of every training minibatch.
    /// </summary>
    private sealed class Quadratic : IVariationalModel<double>
    {
        private readonly Parameter<double> w;
        private readonly int failingStep;
        private int trainingSteps;
        private bool failed;

        public Quadratic(int elements, int failingStep)
        {
            Elements = elements;
            this.failingStep = failingStep;
            w = Parameters.Add("w", 1, decays: false);
        }

        public List<double> WeightsSeen { get; } = new();
        public int Elements { get; }
        public ParameterSet<double> Parameters { get; } = new();
        public IReadOnlyList<ElboTerm> Terms { get; } = [new ElboTerm("quadratic", false)];
        public int Threads { get; set; }

        public void Step(ReadOnlySpan<int> batch, VariationalStep step, Span<double> termSums)
        {
            var rows = batch.Length;
            var value = w.Value[0];
            termSums[0] = -(value - 3) * (value - 3) * rows;
            if (!step.Gradients) return;
            WeightsSeen.Add(value);
            if (trainingSteps++ == failingStep && !failed)
            {
                failed = true;
                termSums[0] = double.NaN;
            }
            w.Gradient[0] += 2 * (value - 3);
        }

        public void Infer(ReadOnlySpan<int> batch) { }

        public void LogImportanceWeights(ReadOnlySpan<int> batch, ulong seed, ulong stream, Span<double> weights) => weights.Clear();
    }

    [Fact]
    public void NaN_IsReportedWithItsTerm_AndTheEpochRestartsFromTheLastGoodState()
    {
        // 100 elements, 90 for training in minibatches of 45: two per epoch, so training step 5 is epoch 3's second.
        var model = new Quadratic(100, failingStep: 5);
        var warnings = new List<string>();
        var options = new VariationalOptions { Epochs = 5, BatchSize = 45, LearningRate = 0.1, Patience = 0, Seed = 7, Threads = 1 };

        var run = VariationalDriver.Fit(model, options, warn: warnings.Add);

        var warning = Assert.Single(warnings);
        Assert.Contains("the ELBO term quadratic became NaN in epoch 3, minibatch 2", warning);
        Assert.Contains("learning rate 0.05", warning);
        Assert.Equal(1, run.Restarts);
        Assert.Equal(5, run.History.Count);
        Assert.All(run.History, epoch => Assert.True(double.IsFinite(epoch.TrainingElbo)));
        // Minibatches seen: 0-1 epoch 1, 2-3 epoch 2, 4-5 the failed epoch 3, 6-7 epoch 3 again, 8-11 epochs 4 and 5.
        var seen = model.WeightsSeen;
        Assert.Equal(12, seen.Count);
        // The retry starts where the failed attempt started, not where its first (applied) update left w.
        Assert.NotEqual(seen[5], seen[4]);
        Assert.Equal(seen[4], seen[6]);
        // Adam's step scales with the learning rate (its moments are restored too): the retry moves w half as far.
        Assert.Equal(0.5, (seen[7] - seen[6]) / (seen[5] - seen[4]), 3);
    }
}
