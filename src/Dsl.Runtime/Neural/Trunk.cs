using System;
using System.Numerics;
using System.Numerics.Tensors;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Neural;

/// <summary>
/// The hidden layers of an MLP as scvi-tools builds them: each layer is Linear → BatchNorm → ReLU → Dropout, and
/// the categorical covariates (one-hot) are appended to every layer's input. Heads attach to <see cref="Output"/>.
/// </summary>
public sealed class Trunk<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly DenseLayer<T>[] dense;
    private readonly BatchNorm<T>?[] norms;
    private readonly T[][] layerInputs;
    private readonly T[][] activations;
    private readonly T[][] masks;
    private readonly double dropout;
    private T[] gradientIn = Array.Empty<T>();
    private T[] gradientOut = Array.Empty<T>();
    private T[] outputGradient = Array.Empty<T>();
    private double[] dropoutUniforms = Array.Empty<double>();

    /// <param name="inputWidth">continuous input columns</param>
    /// <param name="oneHotWidth">total width of the one-hot covariate block appended to every layer's input</param>
    /// <param name="sharedName">
    /// when given, the layers after the first (those whose size does not depend on the input) are registered under this
    /// name and shared with every trunk that names it: encoders of two modalities with one last layer (gimVI)
    /// </param>
    public Trunk(ParameterSet<T> parameters, string name, int inputWidth, int oneHotWidth, int hidden, int layers, double dropout,
        bool batchNorm, ref RandomStream init, string? sharedName = null)
    {
        if (layers < 0) throw new ArgumentOutOfRangeException(nameof(layers), "a network has zero or more hidden layers");
        InputWidth = inputWidth;
        OneHotWidth = oneHotWidth;
        // Without hidden layers the heads read the input itself, with the one-hot covariates appended (a linear network).
        Hidden = layers == 0 ? inputWidth + oneHotWidth : hidden;
        this.dropout = dropout;
        dense = new DenseLayer<T>[layers];
        norms = new BatchNorm<T>?[layers];
        for (var i = 0; i < layers; i++)
        {
            var layerName = i > 0 && sharedName is not null ? $"{sharedName}.layer{i}" : $"{name}.layer{i}";
            using var sharing = i > 0 && sharedName is not null ? parameters.ShareByName() : null;
            dense[i] = new DenseLayer<T>(parameters, layerName, (i == 0 ? inputWidth : hidden) + oneHotWidth, hidden, ref init);
            if (batchNorm) norms[i] = new BatchNorm<T>(parameters, $"{layerName}.norm", hidden);
        }
        layerInputs = Empty(layers);
        activations = Empty(layers);
        masks = Empty(layers);
    }

    private static T[][] Empty(int layers) => Enumerable.Range(0, layers).Select(_ => Array.Empty<T>()).ToArray();

    public int InputWidth { get; }
    public int OneHotWidth { get; }
    public int Hidden { get; }

    public int Threads
    {
        set { foreach (var layer in dense) layer.Threads = value; }
    }

    /// <summary>The last layer's activations (without hidden layers, the input and its one-hot block), rows x Hidden.</summary>
    public T[] Output => dense.Length == 0 ? linearInput : activations[^1];

    private T[] linearInput = Array.Empty<T>();

    /// <summary>
    /// Starts a backward pass: a zeroed rows x Hidden array into which every head adds its gradient with respect to
    /// <see cref="Output"/> before <see cref="Backward"/>.
    /// </summary>
    public T[] StartBackward(int rows)
    {
        var gradient = Buffers.Ensure(ref outputGradient, rows * Hidden);
        Array.Clear(gradient, 0, rows * Hidden);
        return gradient;
    }

    /// <param name="oneHot">rows x covariates: the column (within the one-hot block) that is 1 for each row and covariate</param>
    public void Forward(T[] input, int rows, ReadOnlySpan<int> oneHot, bool training, ref RandomStream random)
    {
        var covariates = rows == 0 ? 0 : oneHot.Length / rows;
        if (dense.Length == 0)
        {
            linearInput = OneHotWidth == 0 ? input : Buffers.Ensure(ref linearInput, rows * Hidden);
            for (var r = 0; r < rows && OneHotWidth > 0; r++)
            {
                input.AsSpan(r * InputWidth, InputWidth).CopyTo(linearInput.AsSpan(r * Hidden, InputWidth));
                var hot = linearInput.AsSpan(r * Hidden + InputWidth, OneHotWidth);
                hot.Clear();
                for (var c = 0; c < covariates; c++) hot[oneHot[r * covariates + c]] = T.One;
            }
            return;
        }
        var below = input;
        var belowWidth = InputWidth;
        for (var i = 0; i < dense.Length; i++)
        {
            var width = belowWidth + OneHotWidth;
            // Without covariates the layer reads its input where it is (it stays untouched until Backward).
            var x = OneHotWidth == 0 ? below : Buffers.Ensure(ref layerInputs[i], rows * width);
            if (OneHotWidth == 0) layerInputs[i] = below;
            for (var r = 0; r < rows && OneHotWidth > 0; r++)
            {
                below.AsSpan(r * belowWidth, belowWidth).CopyTo(x.AsSpan(r * width, belowWidth));
                var hot = x.AsSpan(r * width + belowWidth, OneHotWidth);
                hot.Clear();
                for (var c = 0; c < covariates; c++) hot[oneHot[r * covariates + c]] = T.One;
            }
            var h = Buffers.Ensure(ref activations[i], rows * Hidden);
            dense[i].Forward(x, rows, h);
            norms[i]?.Forward(h, rows, h, training);
            // The mask holds ReLU's gate times dropout's 1/(1-p) scale, so backward is one multiply.
            var size = rows * Hidden;
            var mask = Buffers.Ensure(ref masks[i], size);
            if (training && dropout > 0)
            {
                // One vectorised fill of the layer's uniforms rather than a call per unit.
                var uniforms = Buffers.Ensure(ref dropoutUniforms, size);
                random.FillUniform(uniforms.AsSpan(0, size));
                var keep = T.CreateTruncating(1 / (1 - dropout));
                for (var k = 0; k < size; k++) mask[k] = h[k] > T.Zero && uniforms[k] >= dropout ? keep : T.Zero;
            }
            else
                for (var k = 0; k < size; k++) mask[k] = h[k] > T.Zero ? T.One : T.Zero;
            TensorPrimitives.Multiply(h.AsSpan(0, size), mask.AsSpan(0, size), h);
            below = h;
            belowWidth = Hidden;
        }
    }

    /// <summary>
    /// Back-propagates the gradient the heads left in <see cref="StartBackward"/>'s array; writes the gradient with respect
    /// to the continuous input into <paramref name="inputGradient"/> when given (rows x InputWidth).
    /// </summary>
    public void Backward(int rows, T[]? inputGradient)
    {
        var gradient = outputGradient;
        if (dense.Length == 0)
        {
            // A linear network: the heads' gradient with respect to the input is the input's, less the one-hot block.
            for (var r = 0; r < rows && inputGradient is not null; r++)
                gradient.AsSpan(r * Hidden, InputWidth).CopyTo(inputGradient.AsSpan(r * InputWidth, InputWidth));
            return;
        }
        for (var i = dense.Length - 1; i >= 0; i--)
        {
            TensorPrimitives.Multiply(gradient.AsSpan(0, rows * Hidden), masks[i].AsSpan(0, rows * Hidden), gradient);
            norms[i]?.Backward(gradient, rows);
            var width = (i == 0 ? InputWidth : Hidden) + OneHotWidth;
            var needInput = i > 0 || inputGradient is not null;
            var wide = needInput ? Buffers.Ensure(ref gradientIn, rows * width) : null;
            dense[i].Backward(layerInputs[i], gradient, rows, wide);
            if (!needInput) break;
            var belowWidth = width - OneHotWidth;
            var target = i > 0 ? Buffers.Ensure(ref gradientOut, rows * belowWidth) : inputGradient!;
            for (var r = 0; r < rows; r++) wide!.AsSpan(r * width, belowWidth).CopyTo(target.AsSpan(r * belowWidth, belowWidth));
            if (i > 0) (gradient, gradientOut) = (target, gradient);
        }
    }
}
