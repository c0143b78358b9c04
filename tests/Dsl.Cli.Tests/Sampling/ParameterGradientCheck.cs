using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Cli.Tests.Sampling;

/// <summary>
/// ∂log p/∂(each parameter entry), read after an evaluation at a fixed point of the latents, against central
/// differences of stored parameter values: for NUTS's posteriors and maximum likelihood's objectives alike.
/// </summary>
internal static class ParameterGradientCheck
{
    /// <param name="tolerance">relative to 1 + |difference|; a step of 1e-6 on values of order 1 leaves truncation error near 1e-12 and rounding near 1e-16·|log p|/1e-6</param>
    public static void Assert(IDeclaredModel model, IPosterior posterior, double[] at, double tolerance, string label = "")
    {
        var scratch = new double[posterior.Dimension];
        foreach (var name in posterior.Parameters)
        {
            var values = new double[model.Descriptor.Find(name)!.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)];
            model.TryRead(name, values);
            var gradient = new double[values.Length];
            posterior.Evaluate(at, scratch);
            Xunit.Assert.True(posterior.TryReadParameterGradient(name, gradient));
            for (var i = 0; i < values.Length; i++)
            {
                const double h = 1e-6;
                var saved = values[i];
                values[i] = saved + h;
                model.Store(name, values);
                var up = posterior.Evaluate(at, scratch);
                values[i] = saved - h;
                model.Store(name, values);
                var down = posterior.Evaluate(at, scratch);
                values[i] = saved;
                model.Store(name, values);
                var numeric = (up - down) / (2 * h);
                Xunit.Assert.True(Math.Abs(numeric - gradient[i]) < tolerance * (1 + Math.Abs(numeric)), $"{label}{name}[{i}]: generated {gradient[i]}, finite difference {numeric}");
            }
        }
    }
}
