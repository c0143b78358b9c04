using Dsl.Runtime.Inference;
using Dsl.Runtime.Variational;

namespace Dsl.Runtime.Models;

/// <summary>
/// One finished step of a fit, whatever its engine: which kind of step, how many of how many, and what it produced
/// (in words, and as a number where the engine has an objective).
/// </summary>
/// <param name="Done">the step just finished, 1-based (after a resume the first may be above 1)</param>
public sealed record FitProgress(string Step, int Done, int Total, string Detail, double? Objective = null)
{
    public static FitProgress Of(EmIteration e, string step, int total) =>
        new(step, e.Index, total, $"expected complete log-likelihood {e.ExpectedCompleteLogLikelihood:F1}, {e.Seconds:F2} s", e.ExpectedCompleteLogLikelihood);

    public static FitProgress Of(EpochRecord e, string step, int total)
    {
        var validation = double.IsNaN(e.ValidationElbo) ? "n/a" : e.ValidationElbo.ToString("F2");
        return new(step, e.Epoch, total, $"ELBO per cell train {e.TrainingElbo:F2}, validation {validation} (KL weight {e.KlWeight:F3}), {e.Seconds:F2} s",
            double.IsNaN(e.ValidationElbo) ? e.TrainingElbo : e.ValidationElbo);
    }

    /// <summary>An optimiser's iteration (L-BFGS) or epoch (Adam), with the log likelihood reached.</summary>
    public static FitProgress OfOptimiser(string step, int iteration, int total, double logLikelihood) =>
        new(step, iteration, total, $"log likelihood {logLikelihood:G8}", logLikelihood);

    /// <summary>A sampler's iteration (NUTS) or sweep (exact Gibbs): warm-up, then sampling.</summary>
    public static FitProgress OfSampler(string step, int iteration, int warmup, int total) =>
        new(step, iteration, total, iteration <= warmup ? "warm-up" : "sampling");
}
