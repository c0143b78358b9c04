using Dsl.Runtime.Random;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>A one-dimensional log density, known up to a constant: a scalar latent's full conditional given the rest.</summary>
public interface IScalarLogDensity
{
    /// <summary>log p(x) + const; -infinity outside the support.</summary>
    double LogDensity(double x);
}

/// <summary>
/// Univariate slice sampling with stepping out and shrinkage (Neal 2003, "Slice sampling", figures 3 and 5): draw
/// the level log y = log p(x0) - Exponential(1), step an interval of width w out until both ends lie below the level
/// (at most <c>MaxSteps</c> widths in all), then shrink it towards x0 until a uniform point lies above the level.
/// The update leaves p invariant for any w, so no tuning is needed for correctness; w only sets the cost.
/// It is the Gibbs-EM update of a continuous latent that no exact rule covers.
/// </summary>
public static class SliceSampler
{
    /// <summary>Widths stepped out in all before the interval is taken as it is (Neal's m).</summary>
    public const int MaxSteps = 32;

    /// <summary>One transition from <paramref name="x0"/>, whose log density must be finite.</summary>
    public static double Sample<TDensity>(double x0, double width, ref TDensity density, ref RandomStream random)
        where TDensity : struct, IScalarLogDensity
    {
        var current = density.LogDensity(x0);
        if (!double.IsFinite(current))
            throw new InvalidOperationException($"the slice sampler started at {x0}, where the log density is {current}; the state left the support");
        var level = current - Exponential(ref random);
        var left = x0 - width * random.NextDouble();
        var right = left + width;
        var steps = (int)(MaxSteps * random.NextDouble());
        var rightSteps = MaxSteps - 1 - steps;
        while (steps-- > 0 && density.LogDensity(left) > level) left -= width;
        while (rightSteps-- > 0 && density.LogDensity(right) > level) right += width;
        while (true)
        {
            var x = left + (right - left) * random.NextDouble();
            if (density.LogDensity(x) > level) return x;
            // The interval always keeps x0, whose density is above the level, so this ends.
            if (x < x0) left = x;
            else right = x;
        }
    }

    private static double Exponential(ref RandomStream random) => -Math.Log(1 - random.NextDouble());
}
