using System.Numerics;
using Dsl.Runtime.Neural;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Variational;

/// <summary>
/// A declared adversarial group: encoded latents, one per cell plate (in part order), a discriminator tells apart;
/// the encoders pay <see cref="Kappa"/> times its fooling loss.
/// </summary>
public sealed record AdversarialGroup(string Group, double Kappa, int Hidden, int Layers, double Dropout, IReadOnlyList<string> Latents);

/// <summary>
/// gimVI's adversarial classifier (eq 10; scvi-tools' <c>Classifier</c>: hidden layers with batch norm, ReLU and dropout,
/// then logits over the cell plates). Its own parameters and Adam (learning rate 1e-3, eps 0.01, weight decay 1e-6, as
/// scvi-tools' second optimiser) are kept apart from the model's, so the variational step never moves them.
/// <list type="bullet">
/// <item><see cref="Fool"/>: the encoders' penalty, −Σ_{c≠k} log p_c / (K − 1) per row of plate k, and its gradient
/// with respect to the samples (the discriminator's own gradient from it is discarded).</item>
/// <item><see cref="Train"/>: κ times the cross-entropy of the true plate, one Adam step.</item>
/// </list>
/// </summary>
public sealed class LatentDiscriminator<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Trunk<T> trunk;
    private readonly OutputHead<T> head;
    private readonly Adam<T> adam;
    private readonly int classes;
    private readonly int width;
    private T[] input = [];
    private T[] inputGradient = [];
    private T[] logitGradient = [];
    private int[] labels = [];

    public LatentDiscriminator(AdversarialGroup group, int width, ulong seed)
    {
        Group = group;
        this.width = width;
        classes = group.Latents.Count;
        var init = new RandomStream(seed, 0xAD00);
        trunk = new Trunk<T>(Parameters, group.Group + ".discriminator", width, 0, group.Hidden, group.Layers, group.Dropout, batchNorm: true, ref init);
        head = new OutputHead<T>(Parameters, group.Group + ".discriminator.logits", group.Hidden, classes, Activation.Identity, ref init);
        adam = new Adam<T>(Parameters, 1e-3, 0.01, 1e-6);
        Kappa = group.Kappa;
    }

    public AdversarialGroup Group { get; }

    /// <summary>κ: the declared weight, or another one set for this fit (0: neither penalty nor training).</summary>
    public double Kappa { get; set; }

    public ParameterSet<T> Parameters { get; } = new();

    public Adam<T> Optimiser => adam;

    public int Threads
    {
        set
        {
            trunk.Threads = value;
            head.Threads = value;
        }
    }

    /// <summary>
    /// The fooling penalty summed over the rows of every plate's samples (rows x width each), times κ; with
    /// <paramref name="lossRows"/> &gt; 0, adds κ/lossRows times its gradient with respect to the samples into each
    /// plate's sample gradient.
    /// </summary>
    public double Fool(IReadOnlyList<(T[] Samples, T[] Gradient, int Rows)> plates, bool training, int lossRows, ref RandomStream random)
    {
        var rows = Gather(plates);
        Forward(rows, training, ref random);
        var share = 1.0 / (classes - 1);
        var penalty = CrossEntropy(rows, (row, c) => c == labels[row] ? 0 : share, Kappa / Math.Max(lossRows, 1));
        if (lossRows > 0)
        {
            Backward(rows, logitGradient);
            var row = 0;
            foreach (var (_, sampleGradient, count) in plates)
            {
                for (var k = 0; k < count * width; k++) sampleGradient[k] += inputGradient[row * width + k];
                row += count;
            }
        }
        return Kappa * penalty;
    }

    /// <summary>One Adam step on κ times the mean cross-entropy of each row's true plate, from samples taken after the model's step; returns the mean.</summary>
    public double Train(IReadOnlyList<(T[] Samples, T[] Gradient, int Rows)> plates, ref RandomStream random)
    {
        var rows = Gather(plates);
        Forward(rows, training: true, ref random);
        var loss = CrossEntropy(rows, (row, c) => c == labels[row] ? 1 : 0, Kappa / rows);
        Parameters.ClearGradients();
        Backward(rows, logitGradient);
        adam.Step();
        return loss / rows;
    }

    /// <summary>
    /// −Σ_rows Σ_c target(row, c)·log p_c from the logits (targets summing to one per row), leaving scale·(p_c − target)
    /// (its gradient in the logits) in the logit-gradient array.
    /// </summary>
    private double CrossEntropy(int rows, Func<int, int, double> target, double scale)
    {
        var logits = head.Output;
        var gradient = Buffers.Ensure(ref logitGradient, rows * classes);
        var total = 0.0;
        Span<double> row = stackalloc double[classes];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < classes; c++) row[c] = double.CreateTruncating(logits[r * classes + c]);
            var logNormaliser = Hmc.LogDensity.LogSumExp(row);
            for (var c = 0; c < classes; c++)
            {
                var logP = row[c] - logNormaliser;
                var t = target(r, c);
                total -= t * logP;
                gradient[r * classes + c] = T.CreateTruncating(scale * (Math.Exp(logP) - t));
            }
        }
        return total;
    }

    /// <summary>The plates' samples stacked into one input, each row labelled with its plate.</summary>
    private int Gather(IReadOnlyList<(T[] Samples, T[] Gradient, int Rows)> plates)
    {
        var rows = plates.Sum(p => p.Rows);
        Buffers.Ensure(ref input, rows * width);
        Buffers.Ensure(ref labels, rows);
        var row = 0;
        for (var k = 0; k < plates.Count; k++)
        {
            plates[k].Samples.AsSpan(0, plates[k].Rows * width).CopyTo(input.AsSpan(row * width));
            labels.AsSpan(row, plates[k].Rows).Fill(k);
            row += plates[k].Rows;
        }
        return rows;
    }

    private void Forward(int rows, bool training, ref RandomStream random)
    {
        trunk.Forward(input, rows, ReadOnlySpan<int>.Empty, training, ref random);
        head.Forward(trunk.Output, rows);
    }

    private void Backward(int rows, T[] gradient)
    {
        var hidden = trunk.StartBackward(rows);
        head.Backward(trunk.Output, gradient, rows, hidden);
        trunk.Backward(rows, Buffers.Ensure(ref inputGradient, rows * width));
    }
}
