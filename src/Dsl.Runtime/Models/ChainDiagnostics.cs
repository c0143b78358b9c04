namespace Dsl.Runtime.Models;

/// <summary>What every engine that runs chains shares: running them side by side, and Stan's convergence advice.</summary>
public static class ChainDiagnostics
{
    /// <summary>Runs an action per chain on at most <paramref name="threads"/> threads; a failure surfaces as the first chain's own exception.</summary>
    public static void InParallel(int chains, int threads, Action<int> perChain)
    {
        try
        {
            Parallel.For(0, chains, new ParallelOptions { MaxDegreeOfParallelism = threads }, perChain);
        }
        catch (AggregateException e)
        {
            // The first chain's failure as itself (every chain of a bad model fails the same way).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions.OrderBy(i => i.Message, StringComparer.Ordinal).First());
        }
    }

    /// <summary>One line each where the worst R-hat is above 1.01 and the lowest ESS below 400 (Vehtari et al. 2021).</summary>
    public static void WarnUnconverged(IReadOnlyList<NodeSummary> summaries, Action<string> warn)
    {
        var worstRHat = summaries.Where(s => s.RHat is not null).SelectMany(s => s.RHat!.Select((r, e) => (Name: s.Node.Name, Entry: e, Value: r)))
            .Where(r => !double.IsNaN(r.Value)).OrderByDescending(r => r.Value).FirstOrDefault();
        // An entry each chain holds at its own constant value (a mixture's labels, one labelling per chain) has an
        // infinite or astronomically large R-hat: its digits say nothing, so it is reported as a bound.
        if (worstRHat.Name is not null && worstRHat.Value > 1.01)
            warn($"R-hat of {worstRHat.Name} (entry {worstRHat.Entry + 1}) is {(worstRHat.Value > 100 ? "above 100" : worstRHat.Value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))} > 1.01: the chains disagree; run more --samples and --warmup");
        var lowest = summaries.Where(s => s.EssBulk is not null).SelectMany(s => s.EssBulk!.Zip(s.EssTail!, Math.Min).Select((v, e) => (Name: s.Node.Name, Entry: e, Value: v)))
            .Where(r => double.IsFinite(r.Value)).OrderBy(r => r.Value).FirstOrDefault();
        if (lowest.Name is not null && lowest.Value < 400)
            warn($"effective sample size of {lowest.Name} (entry {lowest.Entry + 1}) is {lowest.Value:F0} < 400: its quantiles and R-hat are unreliable; run more --samples");
    }
}
