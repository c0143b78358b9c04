using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Adam (Kingma & Ba) with L2 weight decay added to the gradient, as torch.optim.Adam does; scVI uses ε = 0.01.
/// Moments are kept in the parameters' own precision (as PyTorch does) so the update runs on whole vectors.
/// They are part of a checkpoint.
/// </summary>
public sealed class Adam<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterSet<T> parameters;
    private readonly List<(T[] First, T[] Second)> moments = new();

    public Adam(ParameterSet<T> parameters, double learningRate = 1e-3, double epsilon = 0.01, double weightDecay = 1e-6,
        double beta1 = 0.9, double beta2 = 0.999)
    {
        this.parameters = parameters;
        LearningRate = learningRate;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Beta1 = beta1;
        Beta2 = beta2;
        foreach (var parameter in parameters.Trainable)
            moments.Add((new T[parameter.Value.Length], new T[parameter.Value.Length]));
    }

    public double LearningRate { get; set; }
    public double Epsilon { get; }
    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public long Steps { get; internal set; }

    /// <summary>The first and second moments of every parameter, in the parameters' order.</summary>
    public IEnumerable<T[]> Moments => moments.SelectMany(m => new[] { m.First, m.Second });

    public void Step()
    {
        Steps++;
        var step = T.CreateTruncating(LearningRate / (1 - Math.Pow(Beta1, Steps)));
        var correction2 = T.CreateTruncating(1 - Math.Pow(Beta2, Steps));
        T beta1 = T.CreateTruncating(Beta1), beta2 = T.CreateTruncating(Beta2), epsilon = T.CreateTruncating(Epsilon);
        for (var p = 0; p < parameters.Trainable.Count; p++)
        {
            var parameter = parameters.Trainable[p];
            var (first, second) = moments[p];
            var decay = parameter.Decays ? T.CreateTruncating(WeightDecay) : T.Zero;
            var value = parameter.Value;
            var gradient = parameter.Gradient;
            var i = 0;
            var width = Vector256<T>.Count;
            for (; i <= value.Length - width; i += width)
            {
                var w = Vector256.Create<T>(value.AsSpan(i, width));
                var g = Vector256.Create<T>(gradient.AsSpan(i, width)) + Vector256.Create(decay) * w;
                var m = Vector256.Create(beta1) * Vector256.Create<T>(first.AsSpan(i, width)) + Vector256.Create(T.One - beta1) * g;
                var v = Vector256.Create(beta2) * Vector256.Create<T>(second.AsSpan(i, width)) + Vector256.Create(T.One - beta2) * g * g;
                m.CopyTo(first.AsSpan(i, width));
                v.CopyTo(second.AsSpan(i, width));
                (w - Vector256.Create(step) * m / (Vector256.Sqrt(v / Vector256.Create(correction2)) + Vector256.Create(epsilon))).CopyTo(value.AsSpan(i, width));
            }
            for (; i < value.Length; i++)
            {
                var g = gradient[i] + decay * value[i];
                first[i] = beta1 * first[i] + (T.One - beta1) * g;
                second[i] = beta2 * second[i] + (T.One - beta2) * g * g;
                value[i] -= step * first[i] / (T.Sqrt(second[i] / correction2) + epsilon);
            }
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(LearningRate);
        foreach (var (first, second) in moments)
        {
            foreach (var value in first) writer.Write(double.CreateTruncating(value));
            foreach (var value in second) writer.Write(double.CreateTruncating(value));
        }
    }

    public void Read(BinaryReader reader)
    {
        Steps = reader.ReadInt64();
        LearningRate = reader.ReadDouble();
        foreach (var (first, second) in moments)
        {
            for (var i = 0; i < first.Length; i++) first[i] = T.CreateTruncating(reader.ReadDouble());
            for (var i = 0; i < second.Length; i++) second[i] = T.CreateTruncating(reader.ReadDouble());
        }
    }
}
