using Dsl.Runtime.Models;
using Dsl.Runtime.Optimisation;

namespace Dsl.Runtime.Hmc;

/// <summary>
/// Point estimates of a model's parameters beside latents sampled by NUTS: stochastic-approximation EM (Delyon,
/// Lavielle and Moulines 1999, with Robbins-Monro steps). One chain draws the latents given the current parameters;
/// after each of its transitions the parameters take an Adam step along ∇θ log p(y, z | θ) at the drawn z, which
/// at stationarity averages to the marginal likelihood's gradient (Fisher's identity). Steps are taken on the
/// parameters' unconstrained scale (<see cref="UnconstrainedParameters"/>: log(x − floor) for a [Positive] one); over
/// the second half the step shrinks as 1/t and the iterates are averaged (Polyak-Ruppert), which is the estimate
/// stored in the model.
/// </summary>
public static class ParameterEstimation
{
    private const double LearningRate = 0.05;

    /// <returns>
    /// the log density at each iteration's draw, at the parameters of that iteration (the trace for history.csv), and the
    /// chain's last position, where the latents' chains start: in the mode that matches the estimates (a mixture's
    /// estimated weights belong to one labelling of its components, and a chain started elsewhere may find the other)
    /// </returns>
    public static (double[] Trace, double[] Last) Run(IDeclaredModel model, IPosterior posterior, NutsOptions options, int iterations, IProgress<int>? progress)
    {
        var last = new double[posterior.Dimension];
        var parameters = new UnconstrainedParameters(model, posterior.Parameters);
        var set = new Neural.ParameterSet<double>();
        var point = set.Add("parameters", parameters.Length, decays: false);
        parameters.Read(point.Value);
        var adam = new Neural.Adam<double>(set, LearningRate, epsilon: 1e-8, weightDecay: 0);
        var sizes = posterior.Parameters.Select(model.EntriesOf).ToList();
        var (current, averaged) = (sizes.Select(n => new double[n]).ToList(), sizes.Select(n => new double[n]).ToList());
        var trace = new double[iterations];
        var scratch = new double[posterior.Dimension];
        var half = iterations / 2;
        void Step(int iteration, ReadOnlySpan<double> position)
        {
            position.CopyTo(last);
            trace[iteration] = posterior.Evaluate(position, scratch);
            // Ascent on log p is descent on −log p, which is what the optimiser takes.
            parameters.Gradient(posterior, point.Gradient, -1);
            if (parameters.NonFinite(point.Gradient) is { } bad)
                throw new InvalidOperationException($"the gradient of the log density in parameter '{bad.Node}' (entry {bad.Entry + 1}) is not finite at a draw the sampler accepted; check the model's supports");
            adam.LearningRate = iteration < half ? LearningRate : LearningRate * half / (iteration + 1.0);
            adam.Step();
            parameters.Write(point.Value);
            if (iteration < half) return;
            for (var p = 0; p < current.Count; p++)
            {
                model.TryRead(posterior.Parameters[p], current[p]);
                var count = iteration - half + 1;
                for (var i = 0; i < current[p].Length; i++) averaged[p][i] += (current[p][i] - averaged[p][i]) / count;
            }
        }
        NutsChain.Run(posterior, options with { Warmup = iterations, Samples = 0 }, 0, progress, Step);
        for (var p = 0; p < averaged.Count; p++) model.Store(posterior.Parameters[p], averaged[p]);
        return (trace, last);
    }
}
