using System;
using System.Numerics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Neural;

/// <summary>
/// An amortised Normal factor q(·|inputs) = N(mean, variance): a trunk and two heads, the variance head through
/// exp plus 1e-4 (scvi-tools' var_eps) so the variance never collapses to zero.
/// </summary>
public sealed class EncoderNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public const double VarianceFloor = 1e-4;
    private T[] variance = Array.Empty<T>();

    /// <param name="sharedLastLayer">
    /// when given, the trunk's layers after the first and both heads are shared with every encoder naming the same
    /// group: encoders of different inputs that map into one latent space (gimVI's two modalities)
    /// </param>
    public EncoderNetwork(ParameterSet<T> parameters, string name, int inputWidth, int oneHotWidth, int outputs, int hidden, int layers,
        double dropout, bool batchNorm, ref RandomStream init, string? sharedLastLayer = null)
    {
        Trunk = new Trunk<T>(parameters, name, inputWidth, oneHotWidth, hidden, layers, dropout, batchNorm, ref init, sharedLastLayer);
        var heads = sharedLastLayer ?? name;
        using (sharedLastLayer is null ? null : parameters.ShareByName())
        {
            MeanHead = new OutputHead<T>(parameters, heads + ".mean", Trunk.Hidden, outputs, Activation.Identity, ref init);
            VarianceHead = new OutputHead<T>(parameters, heads + ".var", Trunk.Hidden, outputs, Activation.Exp, ref init);
        }
        Outputs = outputs;
    }

    public Trunk<T> Trunk { get; }
    public OutputHead<T> MeanHead { get; }
    public OutputHead<T> VarianceHead { get; }
    public int Outputs { get; }

    public int Threads
    {
        set
        {
            Trunk.Threads = value;
            MeanHead.Threads = value;
            VarianceHead.Threads = value;
        }
    }

    public T[] Mean => MeanHead.Output;
    public T[] Variance => variance;

    public void Forward(T[] input, int rows, ReadOnlySpan<int> oneHot, bool training, ref RandomStream random)
    {
        Trunk.Forward(input, rows, oneHot, training, ref random);
        MeanHead.Forward(Trunk.Output, rows);
        VarianceHead.Forward(Trunk.Output, rows);
        var v = Buffers.Ensure(ref variance, rows * Outputs);
        var floor = T.CreateTruncating(VarianceFloor);
        var raw = VarianceHead.Output;
        for (var k = 0; k < rows * Outputs; k++) v[k] = raw[k] + floor;
    }

    /// <summary>Back-propagates gradients with respect to the factor's mean and variance to every weight.</summary>
    public void Backward(T[] meanGradient, T[] varianceGradient, int rows)
    {
        var hidden = Trunk.StartBackward(rows);
        MeanHead.Backward(Trunk.Output, meanGradient, rows, hidden);
        VarianceHead.Backward(Trunk.Output, varianceGradient, rows, hidden);
        Trunk.Backward(rows, null);
    }
}
