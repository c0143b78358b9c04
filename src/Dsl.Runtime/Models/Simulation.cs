namespace Dsl.Runtime.Models;

/// <summary>Helpers of generated simulation code.</summary>
public static class Simulation
{
    /// <summary>Sum over a plate of <paramref name="count"/> entries: the DSL's <c>Sum((Plate k) =&gt; body)</c>.</summary>
    public static double Sum(int count, Func<int, double> body)
    {
        var total = 0.0;
        for (var k = 0; k < count; k++) total += body(k);
        return total;
    }
}
