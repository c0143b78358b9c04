namespace Dsl.Runtime.Hmc;

/// <summary>
/// A log density over unconstrained reals (a posterior after its constraining transforms, with their log
/// Jacobians): what the sampler moves on. Instances hold scratch and are not shared between threads.
/// </summary>
public interface ILogDensity
{
    int Dimension { get; }

    /// <summary>log p at <paramref name="position"/>, up to a constant, with its gradient written into <paramref name="gradient"/>.</summary>
    double Evaluate(ReadOnlySpan<double> position, Span<double> gradient);
}
