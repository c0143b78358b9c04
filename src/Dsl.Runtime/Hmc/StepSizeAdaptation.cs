namespace Dsl.Runtime.Hmc;

/// <summary>
/// Nesterov dual averaging of log step size towards a target acceptance statistic (Hoffman and Gelman 2014,
/// algorithm 6), with Stan's constants: γ = 0.05, t0 = 10, κ = 0.75, shrinking towards log(10·ε0).
/// </summary>
internal sealed class StepSizeAdaptation
{
    private const double Gamma = 0.05;
    private const double T0 = 10;
    private const double Kappa = 0.75;
    private readonly double target;
    private double mu, gradientAverage, logAverage;
    private int count;

    public StepSizeAdaptation(double target) { this.target = target; }

    /// <summary>Starts over around a new initial step size (after each metric update).</summary>
    public void Restart(double stepSize)
    {
        mu = Math.Log(10 * stepSize);
        gradientAverage = 0;
        logAverage = 0;
        count = 0;
    }

    /// <summary>The next step size after an iteration whose mean acceptance statistic was <paramref name="acceptance"/>.</summary>
    public double Learn(double acceptance)
    {
        count++;
        var eta = 1.0 / (count + T0);
        gradientAverage = (1 - eta) * gradientAverage + eta * (target - Math.Min(1, acceptance));
        var log = mu - gradientAverage * Math.Sqrt(count) / Gamma;
        var weight = Math.Pow(count, -Kappa);
        logAverage = (1 - weight) * logAverage + weight * log;
        return Math.Exp(log);
    }

    /// <summary>The averaged step size, used once warm-up ends.</summary>
    public double Final => Math.Exp(logAverage);

    public void Save(BinaryWriter writer)
    {
        writer.Write(mu);
        writer.Write(gradientAverage);
        writer.Write(logAverage);
        writer.Write(count);
    }

    public void Load(BinaryReader reader)
    {
        mu = reader.ReadDouble();
        gradientAverage = reader.ReadDouble();
        logAverage = reader.ReadDouble();
        count = reader.ReadInt32();
    }
}
