using Dsl.Runtime.Random;

namespace Dsl.Runtime.Hmc;

/// <summary>One chain's kept draws (unconstrained, draw-major) and what its transitions did.</summary>
public sealed record ChainRun(double[] Draws, int Samples, int Dimension, double StepSize, int Divergences, int MaxDepthHits, double MeanAcceptance,
    double[] InverseMetric, long Gradients)
{
    public ReadOnlySpan<double> Draw(int s) => Draws.AsSpan(s * Dimension, Dimension);
}

/// <summary>Called after each iteration with the chain's position; may change the target (a parameter step), which the chain then re-evaluates.</summary>
public delegate void IterationHook(int iteration, ReadOnlySpan<double> position);

/// <summary>
/// One NUTS chain: a random start, Stan's windowed warm-up (step size by dual averaging, diagonal metric from each
/// window's draws, regularised towards 10⁻³ as Stan does), then the kept draws. Every random number comes from
/// stream (seed, chain), so a chain's draws do not depend on how many run beside it.
/// </summary>
public static class NutsChain
{
    public static ChainRun Run(ILogDensity density, NutsOptions options, int chain, IProgress<int>? progress = null, IterationHook? afterIteration = null)
    {
        var random = new RandomStream(options.Seed, (ulong)chain);
        var nuts = new Nuts(density, options.MaxTreeDepth);
        Initialise(nuts, density.Dimension, options.InitRadius, chain, ref random);
        nuts.FindReasonableStepSize(ref random);
        var adaptation = new StepSizeAdaptation(options.TargetAcceptance);
        adaptation.Restart(nuts.StepSize);
        var schedule = new WarmupSchedule(options.Warmup);
        var variance = new WindowVariance(density.Dimension);
        long gradients = 0;
        for (var iteration = 0; iteration < options.Warmup; iteration++)
        {
            var transition = nuts.Transition(ref random);
            gradients += transition.LeapfrogSteps;
            nuts.StepSize = adaptation.Learn(transition.AcceptStatistic);
            if (schedule.InWindow(iteration)) variance.Add(nuts.Position);
            if (afterIteration is not null)
            {
                afterIteration(iteration, nuts.Position);
                nuts.Refresh();
            }
            if (schedule.EndsWindow(iteration))
            {
                variance.WriteRegularised(nuts.InverseMetric);
                variance.Reset();
                nuts.FindReasonableStepSize(ref random);
                adaptation.Restart(nuts.StepSize);
            }
            progress?.Report(iteration + 1);
        }
        if (options.Warmup > 0) nuts.StepSize = adaptation.Final;
        var draws = new double[options.Samples * density.Dimension];
        var (divergences, maxDepthHits, acceptance) = (0, 0, 0.0);
        for (var s = 0; s < options.Samples; s++)
        {
            var transition = nuts.Transition(ref random);
            gradients += transition.LeapfrogSteps;
            if (transition.Divergent) divergences++;
            if (transition.TreeDepth >= options.MaxTreeDepth) maxDepthHits++;
            acceptance += transition.AcceptStatistic;
            nuts.Position.CopyTo(draws.AsSpan(s * density.Dimension));
            progress?.Report(options.Warmup + s + 1);
        }
        return new ChainRun(draws, options.Samples, density.Dimension, nuts.StepSize, divergences, maxDepthHits,
            options.Samples == 0 ? double.NaN : acceptance / options.Samples, nuts.InverseMetric.ToArray(), gradients);
    }

    /// <summary>Stan's random inits: uniform on (-r, r) per coordinate, retried where the density is not finite.</summary>
    private static void Initialise(Nuts nuts, int dimension, double radius, int chain, ref RandomStream random)
    {
        var start = new double[dimension];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            for (var i = 0; i < dimension; i++) start[i] = radius * (2 * random.NextDouble() - 1);
            if (nuts.TrySetPosition(start)) return;
        }
        // The data or the starting region do not fit the model's supports: a problem with the input, not a bug.
        throw new InvalidDataException(
            $"chain {chain + 1}: no finite log density at 100 random starting points on (-{radius}, {radius}) of the unconstrained scale; check that the data fit the model's supports");
    }

    /// <summary>Welford's running variance of the draws of one adaptation window.</summary>
    private sealed class WindowVariance(int dimension)
    {
        private readonly double[] mean = new double[dimension], squares = new double[dimension];
        private int count;

        public void Add(ReadOnlySpan<double> draw)
        {
            count++;
            for (var i = 0; i < dimension; i++)
            {
                var delta = draw[i] - mean[i];
                mean[i] += delta / count;
                squares[i] += delta * (draw[i] - mean[i]);
            }
        }

        /// <summary>Stan's shrinkage: (n/(n+5))·variance + 10⁻³·(5/(n+5)).</summary>
        public void WriteRegularised(Span<double> inverseMetric)
        {
            if (count < 2) return;
            for (var i = 0; i < dimension; i++)
                inverseMetric[i] = count / (count + 5.0) * (squares[i] / (count - 1)) + 1e-3 * (5.0 / (count + 5.0));
        }

        public void Reset()
        {
            Array.Clear(mean);
            Array.Clear(squares);
            count = 0;
        }
    }
}
