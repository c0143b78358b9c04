using System.Numerics;
using System.Numerics.Tensors;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Neural;

/// <summary>
/// A fully connected layer y = x·W + b with W stored inputs x outputs, so the forward pass and both backward
/// products are one <see cref="Gemm"/> call each (x·W, xᵀ·dy, dy·Wᵀ).
/// </summary>
public sealed class DenseLayer<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public DenseLayer(ParameterSet<T> parameters, string name, int inputs, int outputs, ref RandomStream init)
    {
        Inputs = inputs;
        Outputs = outputs;
        Weight = parameters.Add(name + ".weight", inputs * outputs);
        Bias = parameters.Add(name + ".bias", outputs);
        // PyTorch's default for nn.Linear: U(-1/sqrt(in), 1/sqrt(in)) for weights and bias alike.
        var bound = 1.0 / System.Math.Sqrt(inputs);
        for (var i = 0; i < Weight.Value.Length; i++) Weight.Value[i] = T.CreateTruncating((2 * init.NextDouble() - 1) * bound);
        for (var i = 0; i < Bias.Value.Length; i++) Bias.Value[i] = T.CreateTruncating((2 * init.NextDouble() - 1) * bound);
    }

    public int Inputs { get; }
    public int Outputs { get; }
    public Parameter<T> Weight { get; }
    public Parameter<T> Bias { get; }
    public int Threads { get; set; } = 1;

    public void Forward(T[] input, int rows, T[] output)
    {
        // The bias is the accumulator's starting value, so adding it costs no pass of its own.
        for (var r = 0; r < rows; r++) Bias.Value.CopyTo(output.AsSpan(r * Outputs, Outputs));
        Gemm.Multiply(MatrixView<T>.RowMajor(input, rows, Inputs), MatrixView<T>.RowMajor(Weight.Value, Inputs, Outputs), output, 0, Outputs, true, Threads);
    }

    /// <summary>
    /// Adds this minibatch's weight and bias gradients; writes (or, with <paramref name="accumulateInput"/>, adds)
    /// the input gradient dy·Wᵀ when <paramref name="inputGradient"/> is given.
    /// </summary>
    public void Backward(T[] input, T[] outputGradient, int rows, T[]? inputGradient, bool accumulateInput = false)
    {
        var dy = MatrixView<T>.RowMajor(outputGradient, rows, Outputs);
        Gemm.Multiply(MatrixView<T>.RowMajor(input, rows, Inputs).Transposed(), dy, Weight.Gradient, 0, Outputs, true, Threads);
        var biasGradient = Bias.Gradient;
        for (var r = 0; r < rows; r++) TensorPrimitives.Add(biasGradient, outputGradient.AsSpan(r * Outputs, Outputs), biasGradient);
        if (inputGradient is not null)
            Gemm.Multiply(dy, MatrixView<T>.RowMajor(Weight.Value, Inputs, Outputs).Transposed(), inputGradient, 0, Inputs, accumulateInput, Threads);
    }
}
