namespace Dsl.Runtime.Optimisation;

/// <summary>What an optimiser's run left: the point reached, one history row per step (its number first), how it ended, and its settings.</summary>
/// <param name="ResumedAfter">steps done before a resume, or null</param>
public sealed record OptimiserRun(double[] X, IReadOnlyList<double[]> History, string Step, IReadOnlyList<string> Columns, string Outcome, int? ResumedAfter,
    IReadOnlyDictionary<string, object> Settings);
