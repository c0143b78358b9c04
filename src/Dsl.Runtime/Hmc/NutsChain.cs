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
/// window's draws, regularised towards 10⁻³ as Stan does), then the kept draws. Iteration t draws its random numbers
/// from its own counter range of stream (seed, chain), blocks from (t + 1)·2³², and the start from block 0, so a
/// chain's draws depend neither on how many run beside it nor on where it was stopped and resumed: its state between
/// iterations (<see cref="Save"/>) is all a resumed chain needs. The number of kept draws may grow on resume.
/// </summary>
public sealed class NutsChain
{
    /// <summary>Philox blocks reserved for one iteration; a transition uses a few thousand at most.</summary>
    private const int IterationBlockBits = 32;

    private readonly ILogDensity density;
    private readonly NutsOptions options;
    private readonly int chain;
    private readonly Nuts nuts;
    private readonly StepSizeAdaptation adaptation;
    private readonly WarmupSchedule schedule;
    private readonly WindowMoments moments;
    private double[] draws;
    private long gradients;
    private int divergences, maxDepthHits;
    private double acceptance;

    /// <summary>Half-width, on the unconstrained scale, of the box around a given centre that a chain starts in.</summary>
    public const double NearRadius = 0.1;

    /// <param name="near">
    /// a point to start close to (within ±<see cref="NearRadius"/> in each coordinate) instead of Stan's uniform box of
    /// ±<see cref="NutsOptions.InitRadius"/> around zero
    /// </param>
    public NutsChain(ILogDensity density, NutsOptions options, int chain, double[]? near = null)
    {
        (this.density, this.options, this.chain) = (density, options, chain);
        var random = new RandomStream(options.Seed, (ulong)chain);
        nuts = new Nuts(density, options.MaxTreeDepth);
        Initialise(nuts, density.Dimension, near, near is null ? options.InitRadius : NearRadius, chain, ref random);
        nuts.FindReasonableStepSize(ref random);
        adaptation = new StepSizeAdaptation(options.TargetAcceptance);
        adaptation.Restart(nuts.StepSize);
        schedule = new WarmupSchedule(options.Warmup);
        moments = new WindowMoments(density.Dimension, options.Metric);
        draws = new double[options.Samples * density.Dimension];
    }

    /// <summary>Transitions done so far, warm-up included.</summary>
    public int Iteration { get; private set; }

    public int Total => options.Warmup + options.Samples;

    public bool Done => Iteration >= Total;

    public static ChainRun Run(ILogDensity density, NutsOptions options, int chain, IProgress<int>? progress = null, IterationHook? afterIteration = null)
    {
        var run = new NutsChain(density, options, chain);
        run.Advance(run.Total, progress, afterIteration);
        return run.Result();
    }

    /// <summary>Runs up to <paramref name="count"/> more iterations (fewer where the chain ends), reporting each.</summary>
    public void Advance(int count, IProgress<int>? progress = null, IterationHook? afterIteration = null)
    {
        for (var end = Math.Min(Total, Iteration + count); Iteration < end; Iteration++)
        {
            var random = new RandomStream(options.Seed, (ulong)chain, (ulong)(Iteration + 1) << IterationBlockBits);
            if (Iteration < options.Warmup) WarmupIteration(Iteration, ref random, afterIteration);
            else KeptIteration(Iteration - options.Warmup, ref random);
            progress?.Report(Iteration + 1);
        }
    }

    private void WarmupIteration(int iteration, ref RandomStream random, IterationHook? afterIteration)
    {
        var transition = nuts.Transition(ref random);
        gradients += transition.LeapfrogSteps;
        nuts.StepSize = adaptation.Learn(transition.AcceptStatistic);
        if (schedule.InWindow(iteration)) moments.Add(nuts.Position);
        if (afterIteration is not null)
        {
            afterIteration(iteration, nuts.Position);
            nuts.Refresh();
        }
        if (schedule.EndsWindow(iteration))
        {
            moments.WriteTo(nuts.Metric);
            moments.Reset();
            nuts.FindReasonableStepSize(ref random);
            adaptation.Restart(nuts.StepSize);
        }
        if (iteration == options.Warmup - 1) nuts.StepSize = adaptation.Final;
    }

    private void KeptIteration(int sample, ref RandomStream random)
    {
        var transition = nuts.Transition(ref random);
        gradients += transition.LeapfrogSteps;
        if (transition.Divergent) divergences++;
        if (transition.TreeDepth >= options.MaxTreeDepth) maxDepthHits++;
        acceptance += transition.AcceptStatistic;
        nuts.Position.CopyTo(draws.AsSpan(sample * density.Dimension));
    }

    public ChainRun Result()
    {
        var kept = Math.Max(0, Iteration - options.Warmup);
        return new ChainRun(draws[..(kept * density.Dimension)], kept, density.Dimension, nuts.StepSize, divergences, maxDepthHits,
            kept == 0 ? double.NaN : acceptance / kept, nuts.Metric.Values.ToArray(), gradients);
    }

    /// <summary>The chain between iterations: position, step size, metric, adaptation, counters and the draws kept so far.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Iteration);
        WriteArray(writer, nuts.Position);
        writer.Write(nuts.StepSize);
        writer.Write(nuts.Metric.IsDense);
        WriteArray(writer, nuts.Metric.Values);
        adaptation.Save(writer);
        moments.Save(writer);
        writer.Write(gradients);
        writer.Write(divergences);
        writer.Write(maxDepthHits);
        writer.Write(acceptance);
        var kept = Math.Max(0, Iteration - options.Warmup);
        WriteArray(writer, draws.AsSpan(0, kept * density.Dimension));
    }

    /// <summary>Restores what <see cref="Save"/> wrote into a chain built with the same density and settings (more samples allowed).</summary>
    public void Load(BinaryReader reader)
    {
        var iteration = reader.ReadInt32();
        if (iteration > Total) throw new InvalidDataException($"chain {chain + 1} ran {iteration} iterations, more than the {Total} asked for now; ask for at least as many --samples");
        var position = ReadArray(reader, density.Dimension, "position");
        if (!nuts.TrySetPosition(position)) throw new InvalidDataException($"chain {chain + 1}: the saved position has no finite log density under this model");
        nuts.StepSize = reader.ReadDouble();
        if (reader.ReadBoolean()) nuts.Metric.SetDense(ReadArray(reader, density.Dimension * density.Dimension, "dense metric"));
        else nuts.Metric.SetDiagonal(ReadArray(reader, density.Dimension, "metric"));
        adaptation.Load(reader);
        moments.Load(reader);
        gradients = reader.ReadInt64();
        divergences = reader.ReadInt32();
        maxDepthHits = reader.ReadInt32();
        acceptance = reader.ReadDouble();
        var kept = Math.Max(0, iteration - options.Warmup);
        ReadArray(reader, kept * density.Dimension, "draws").CopyTo(draws, 0);
        Iteration = iteration;
    }

    private static void WriteArray(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    private double[] ReadArray(BinaryReader reader, int expected, string what)
    {
        var length = reader.ReadInt32();
        if (length != expected) throw new InvalidDataException($"chain {chain + 1}: the saved {what} has {length} entries, this model {expected}");
        var values = new double[length];
        for (var i = 0; i < length; i++) values[i] = reader.ReadDouble();
        return values;
    }

    /// <summary>Stan's random inits: uniform on (-r, r) per coordinate, retried where the density is not finite.</summary>
    private static void Initialise(Nuts nuts, int dimension, double[]? centre, double radius, int chain, ref RandomStream random)
    {
        var start = new double[dimension];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            for (var i = 0; i < dimension; i++) start[i] = (centre?[i] ?? 0) + radius * (2 * random.NextDouble() - 1);
            if (nuts.TrySetPosition(start)) return;
        }
        // The data or the starting region do not fit the model's supports: a problem with the input, not a bug.
        throw new InvalidDataException(
            $"chain {chain + 1}: no finite log density at 100 random starting points {(centre is null ? "" : "around the parameter estimation's last draw ")}on (-{radius}, {radius}) of the unconstrained scale; check that the data fit the model's supports");
    }
}
