using Dsl.Runtime.Neural;
using Dsl.Runtime.Random;
using Xunit;

namespace Dsl.Runtime.Tests.Neural;

/// <summary>
/// The trunk (dense, batch norm, ReLU, dropout, one-hot covariates) and the output activations against central
/// finite differences of a scalar loss Σ c·output, in double.
/// </summary>
public class LayerGradientTests
{
    [Theory]
    [InlineData(Activation.Identity, true)]
    [InlineData(Activation.Softmax, true)]
    [InlineData(Activation.Exp, false)]
    [InlineData(Activation.Softplus, true)]
    public void TrunkAndHeadGradientsMatchFiniteDifferences(Activation activation, bool training)
    {
        const int rows = 6, inputs = 5, hidden = 7, outputs = 4;
        var parameters = new ParameterSet<double>();
        var init = new RandomStream(1, 1);
        var trunk = new Trunk<double>(parameters, "t", inputs, 2, hidden, 2, 0.25, batchNorm: true, ref init);
        var head = new OutputHead<double>(parameters, "h", hidden, outputs, activation, ref init);
        var x = Enumerable.Range(0, rows * inputs).Select(i => Math.Sin(i * 1.3)).ToArray();
        var oneHot = Enumerable.Range(0, rows).Select(r => r % 2).ToArray();
        var weights = Enumerable.Range(0, rows * outputs).Select(i => Math.Cos(i * 0.7)).ToArray();
        double Loss()
        {
            var random = new RandomStream(5, 5); // the same dropout masks every evaluation
            trunk.Forward(x, rows, oneHot, training, ref random);
            head.Forward(trunk.Output, rows);
            return head.Output.Take(rows * outputs).Select((v, i) => v * weights[i]).Sum();
        }
        Loss();
        parameters.ClearGradients();
        var hiddenGradient = trunk.StartBackward(rows);
        head.Backward(trunk.Output, weights, rows, hiddenGradient);
        var inputGradient = new double[rows * inputs];
        trunk.Backward(rows, inputGradient);
        foreach (var parameter in parameters.Trainable)
        {
            for (var i = 0; i < parameter.Value.Length; i += 3)
            {
                var original = parameter.Value[i];
                parameter.Value[i] = original + 1e-6;
                var up = Loss();
                parameter.Value[i] = original - 1e-6;
                var down = Loss();
                parameter.Value[i] = original;
                var numeric = (up - down) / 2e-6;
                // Rounding in the differences is ~1e-10; curvature at h = 1e-6 is far below 1e-6 relative.
                Assert.True(Math.Abs(parameter.Gradient[i] - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric), $"{parameter.Name}[{i}]: {parameter.Gradient[i]} vs {numeric}");
            }
        }
        for (var i = 0; i < x.Length; i += 2)
        {
            var original = x[i];
            x[i] = original + 1e-6;
            var up = Loss();
            x[i] = original - 1e-6;
            var down = Loss();
            x[i] = original;
            var numeric = (up - down) / 2e-6;
            Assert.True(Math.Abs(inputGradient[i] - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric), $"input[{i}]: {inputGradient[i]} vs {numeric}");
        }
    }
}
