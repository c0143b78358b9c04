using Dsl.Runtime.Inference.MStep;
using Xunit;

namespace Dsl.Tests.Shared;

/// <summary>A generated M-step objective's gradient against central differences of its value.</summary>
public static class ObjectiveCheck
{
    /// <summary>
    /// Checks the entries <paramref name="entries"/> of the gradient at <paramref name="at"/>. The step is relative
    /// (1e-6 of the entry, at least 1e-9) because profile entries of 1e-3 and concentrations of 1 share one objective.
    /// </summary>
    public static void CentralDifferences(IProjectedObjective objective, double[] at, IEnumerable<int> entries, double tolerance = 1e-5)
    {
        var gradient = new double[at.Length];
        objective.Gradient(at, gradient);
        foreach (var n in entries)
        {
            var h = Math.Max(1e-6 * Math.Abs(at[n]), 1e-9);
            var up = (double[])at.Clone();
            var down = (double[])at.Clone();
            up[n] += h;
            down[n] -= h;
            var numeric = (objective.Value(up) - objective.Value(down)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[n]) <= tolerance * Math.Max(1, Math.Abs(numeric)), $"entry {n}: analytic {gradient[n]}, numeric {numeric}");
        }
    }
}
