using Dsl.Runtime.Random;

namespace Dsl.Runtime.Conjugate;

/// <summary>Draws from conditionals in the form the exact updates accumulate them.</summary>
public static class ConjugateDraw
{
    /// <summary>
    /// Normal from natural parameters: precision P and precision-weighted mean h, mean h/P and sd 1/√P. A precision
    /// that is not positive and finite (an improper conditional) is refused, naming the node.
    /// </summary>
    public static double Normal(string node, double precision, double shift, ref RandomStream random)
    {
        if (!(precision > 0) || double.IsPositiveInfinity(precision))
            throw new InvalidDataException($"the full conditional of '{node}' has precision {precision}; its prior and children give it no proper Normal");
        return shift / precision + random.NextNormal() / Math.Sqrt(precision);
    }
}
