namespace Dsl.Runtime.Variational;

/// <summary>
/// Whether a VI fit stopped while its ELBO was still climbing, so that a user on a small data set (where an epoch is a
/// single optimisation step) hears that the fit is unfinished instead of reading its outputs as converged.
/// </summary>
public static class ElboTrend
{
    /// <summary>Fits shorter than this many epochs are too short to judge.</summary>
    private const int MinimumEpochs = 20;

    /// <summary>
    /// A warning when a least-squares line through the last quarter of the epochs' ELBO at full KL weight (on the
    /// validation cells, or the training cells where none were held out) would gain more than 1 % of the ELBO's size
    /// over another quarter; null otherwise. 1 %: the epoch-to-epoch noise of a converged minibatch fit is an order
    /// of magnitude below it, and a gain that large changes the fitted latents visibly.
    /// </summary>
    public static string? StillRising(IReadOnlyList<EpochRecord> history, IReadOnlyList<ElboTerm> terms)
    {
        if (history.Count < MinimumEpochs) return null;
        var tail = history.Skip(history.Count - history.Count / 4).ToList();
        var held = tail.All(e => e.Validation.All(double.IsFinite) && e.Validation.Length == terms.Count);
        var elbo = history.Select(e => FullWeight(held ? e.Validation : e.Training, terms)).ToList();
        if (Models.Trend.LastQuarter(elbo, MinimumEpochs) is not { } trend || trend.Gain <= 0.01 * Math.Abs(trend.Mean)) return null;
        return $"the {(held ? "validation" : "training")} ELBO was still rising when the fit stopped (about {trend.Gain:G3} per cell more over another {trend.Steps} epochs, " +
            $"from {elbo[^1]:F2}): fit longer (--epochs) or with larger steps (--learning-rate); on a small data set each epoch is only a step or two";
    }

    private static double FullWeight(double[] values, IReadOnlyList<ElboTerm> terms)
    {
        var elbo = 0.0;
        for (var t = 0; t < terms.Count; t++)
            if (!terms[t].Penalty) elbo += terms[t].IsDivergence ? -values[t] : values[t];
        return elbo;
    }
}
