using System;
using System.Numerics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Neural;

/// <summary>The last layer of a network: a linear map from a trunk's hidden units and an output activation.</summary>
public sealed class OutputHead<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly DenseLayer<T> layer;
    private T[] output = Array.Empty<T>();
    private T[] gradient = Array.Empty<T>();
    private T[] ownHiddenGradient = Array.Empty<T>();

    public OutputHead(ParameterSet<T> parameters, string name, int hidden, int outputs, Activation activation, ref RandomStream init)
    {
        layer = new DenseLayer<T>(parameters, name, hidden, outputs, ref init);
        Outputs = outputs;
        Activation = activation;
    }

    public int Outputs { get; }
    public Activation Activation { get; }
    public int Threads { set => layer.Threads = value; }

    /// <summary>rows x Outputs, after the activation.</summary>
    public T[] Output => output;

    public void Forward(T[] hidden, int rows)
    {
        var y = Buffers.Ensure(ref output, rows * Outputs);
        layer.Forward(hidden, rows, y);
        for (var r = 0; r < rows; r++) Activations.Forward(Activation, y.AsSpan(r * Outputs, Outputs));
    }

    /// <summary>Adds this head's parameter gradients and its gradient with respect to the hidden units into <paramref name="hiddenGradient"/>.</summary>
    public void Backward(T[] hidden, T[] outputGradient, int rows, T[] hiddenGradient) =>
        Backward(hidden, outputGradient, rows, hiddenGradient, accumulate: true);

    /// <summary>
    /// Adds this head's parameter gradients and writes its gradient with respect to the hidden units into its own
    /// <see cref="HiddenGradient"/> (rows x hidden), so heads on one trunk can run side by side.
    /// </summary>
    public void Backward(T[] hidden, T[] outputGradient, int rows) =>
        Backward(hidden, outputGradient, rows, Buffers.Ensure(ref ownHiddenGradient, rows * layer.Inputs), accumulate: false);

    /// <summary>After the three-argument <see cref="Backward(T[], T[], int)"/>: this head's gradient with respect to the hidden units.</summary>
    public T[] HiddenGradient => ownHiddenGradient;

    private void Backward(T[] hidden, T[] outputGradient, int rows, T[] hiddenGradient, bool accumulate)
    {
        var dz = Buffers.Ensure(ref gradient, rows * Outputs);
        for (var r = 0; r < rows; r++)
            Activations.Backward(Activation, output.AsSpan(r * Outputs, Outputs), outputGradient.AsSpan(r * Outputs, Outputs), dz.AsSpan(r * Outputs, Outputs));
        layer.Backward(hidden, dz, rows, hiddenGradient, accumulateInput: accumulate);
    }
}
