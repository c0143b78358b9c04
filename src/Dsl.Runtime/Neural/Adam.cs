using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Adam (Kingma & Ba) with L2 weight decay added to the gradient, as torch.optim.Adam does; scVI uses ε = 0.01.
/// Its moments are part of a checkpoint.
/// </summary>
public sealed class Adam<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterSet<T> parameters;
    private readonly List<(double[] First, double[] Second)> moments = new();

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
            moments.Add((new double[parameter.Value.Length], new double[parameter.Value.Length]));
    }

    public double LearningRate { get; set; }
    public double Epsilon { get; }
    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public long Steps { get; private set; }

    public void Step()
    {
        Steps++;
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = 1 - Math.Pow(Beta2, Steps);
        var step = LearningRate / correction1;
        for (var p = 0; p < parameters.Trainable.Count; p++)
        {
            var parameter = parameters.Trainable[p];
            var (first, second) = moments[p];
            var decay = parameter.Decays ? WeightDecay : 0;
            var value = parameter.Value;
            var gradient = parameter.Gradient;
            for (var i = 0; i < value.Length; i++)
            {
                var g = double.CreateTruncating(gradient[i]) + decay * double.CreateTruncating(value[i]);
                first[i] = Beta1 * first[i] + (1 - Beta1) * g;
                second[i] = Beta2 * second[i] + (1 - Beta2) * g * g;
                value[i] -= T.CreateTruncating(step * first[i] / (Math.Sqrt(second[i] / correction2) + Epsilon));
            }
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(LearningRate);
        foreach (var (first, second) in moments)
        {
            foreach (var value in first) writer.Write(value);
            foreach (var value in second) writer.Write(value);
        }
    }

    public void Read(BinaryReader reader)
    {
        Steps = reader.ReadInt64();
        LearningRate = reader.ReadDouble();
        foreach (var (first, second) in moments)
        {
            for (var i = 0; i < first.Length; i++) first[i] = reader.ReadDouble();
            for (var i = 0; i < second.Length; i++) second[i] = reader.ReadDouble();
        }
    }
}
