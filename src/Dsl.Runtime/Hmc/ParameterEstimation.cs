using Dsl.Runtime.Models;

namespace Dsl.Runtime.Hmc;

/// <summary>
/// Point estimates of a model's parameters beside latents sampled by NUTS: stochastic-approximation EM (Delyon,
/// Lavielle and Moulines 1999, with Robbins-Monro steps). One chain draws the latents given the current parameters;
/// after each of its transitions the parameters take an Adam step along ∇θ log p(y, z | θ) at the drawn z, which
/// at stationarity averages to the marginal likelihood's gradient (Fisher's identity). Steps are taken on the
/// unconstrained scale (log(x − floor) for a [Positive] parameter); over the second half the step shrinks as 1/t and
/// the iterates are averaged (Polyak-Ruppert), which is the estimate stored in the model.
/// </summary>
public static class ParameterEstimation
{
    private const double LearningRate = 0.05, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <returns>the log density at each iteration's draw, at the parameters of that iteration (the trace for history.csv)</returns>
    public static double[] Run(IDeclaredModel model, IPosterior posterior, NutsOptions options, int iterations, IProgress<int>? progress)
    {
        var parameters = posterior.Parameters.Select(name =>
        {
            var node = model.Descriptor.Find(name)!;
            var values = new double[node.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => checked(a * b))];
            if (!model.TryRead(name, values)) throw new InvalidOperationException($"parameter '{name}' has no stored starting value");
            return new Estimate(node, values);
        }).ToList();
        var trace = new double[iterations];
        var scratch = new double[posterior.Dimension];
        var half = iterations / 2;
        void Step(int iteration, ReadOnlySpan<double> position)
        {
            trace[iteration] = posterior.Evaluate(position, scratch);
            var rate = iteration < half ? LearningRate : LearningRate * half / (iteration + 1.0);
            foreach (var estimate in parameters)
            {
                posterior.TryReadParameterGradient(estimate.Node.Name, estimate.Gradient);
                estimate.Step(iteration + 1, rate);
                if (iteration >= half) estimate.Average(iteration - half + 1);
                model.Store(estimate.Node.Name, estimate.Values);
            }
        }
        NutsChain.Run(posterior, options with { Warmup = iterations, Samples = 0 }, 0, progress, Step);
        foreach (var estimate in parameters) model.Store(estimate.Node.Name, estimate.Averaged);
        return trace;
    }

    /// <summary>One parameter's values, its unconstrained coordinates, Adam's moments and the running average.</summary>
    private sealed class Estimate
    {
        private readonly double floor;
        private readonly bool positive;
        private readonly double[] free, first, second;

        public Estimate(NodeDescriptor node, double[] values)
        {
            Node = node;
            Values = values;
            positive = node.Support == ValueSupport.Positive;
            floor = node.Floor ?? 0;
            free = values.Select(x => positive ? Math.Log(x - floor) : x).ToArray();
            if (free.Any(u => !double.IsFinite(u)))
                throw new InvalidOperationException($"parameter '{node.Name}' starts outside its constraint (a [Positive] value must lie above its floor {floor})");
            (first, second, Gradient, Averaged) = (new double[values.Length], new double[values.Length], new double[values.Length], new double[values.Length]);
        }

        public NodeDescriptor Node { get; }
        public double[] Values { get; }
        public double[] Gradient { get; }
        public double[] Averaged { get; }

        /// <summary>An Adam ascent step at step number <paramref name="t"/>; ∂/∂u = ∂/∂x · (x − floor) on the log scale.</summary>
        public void Step(int t, double rate)
        {
            for (var i = 0; i < free.Length; i++)
            {
                var g = positive ? Gradient[i] * (Values[i] - floor) : Gradient[i];
                if (!double.IsFinite(g))
                    throw new InvalidOperationException($"the gradient of the log density in parameter '{Node.Name}' is {g} at a draw the sampler accepted; check the model's supports");
                first[i] = Beta1 * first[i] + (1 - Beta1) * g;
                second[i] = Beta2 * second[i] + (1 - Beta2) * g * g;
                var mean = first[i] / (1 - Math.Pow(Beta1, t));
                var variance = second[i] / (1 - Math.Pow(Beta2, t));
                free[i] += rate * mean / (Math.Sqrt(variance) + Epsilon);
                Values[i] = positive ? floor + Math.Exp(free[i]) : free[i];
            }
        }

        /// <summary>The running mean of the iterates from the second half's start (the <paramref name="count"/>-th of them).</summary>
        public void Average(int count)
        {
            for (var i = 0; i < Values.Length; i++) Averaged[i] += (Values[i] - Averaged[i]) / count;
        }
    }
}
