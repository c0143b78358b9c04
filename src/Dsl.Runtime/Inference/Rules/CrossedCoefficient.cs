using System;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Inference.Rules;

/// <summary>
/// One Normal coefficient β of a logistic Bernoulli's linear predictor, read by entries that another block's
/// replicates split (a gene's effect, read by every cell): ψ_e = o_e + c_e β for each entry e that reads it, o_e the
/// rest of ψ_e at the current state. Given a Pólya-Gamma draw ω_e ~ PG(1, ψ_e) per entry (Polson, Scott and Windle
/// 2013), each Bernoulli term exp((y_e − 1/2) ψ_e − ω_e ψ_e² / 2) is Gaussian in β, so with the prior N(m, s²):
/// β | ω ~ N(b / P, 1 / P), P = 1/s² + Σ ω_e c_e², b = m/s² + Σ c_e (y_e − 1/2 − ω_e o_e).
/// The generated loop gathers the entries that read β (their covariates, predictors and responses) into the block's
/// workspace, and <see cref="AddAll"/> draws their ω in one vectorised pass; nothing is allocated.
/// </summary>
public struct CrossedCoefficient
{
    private readonly double current;
    private double precision;
    private double shift;

    public CrossedCoefficient(double priorMean, double priorVariance, double current)
    {
        this.current = current;
        precision = 1.0 / priorVariance;
        shift = priorMean / priorVariance;
    }

    /// <summary>
    /// The entries that read β: each one's covariate, linear predictor (β at its current value) and response; their
    /// Pólya-Gamma draws land in <paramref name="omega"/>.
    /// </summary>
    public void AddAll(ReadOnlySpan<double> covariate, ReadOnlySpan<double> psi, ReadOnlySpan<double> response, Span<double> omega, ref RandomStream random)
    {
        PolyaGamma.SampleOne(psi, omega, ref random);
        for (var n = 0; n < psi.Length; n++)
        {
            var c = covariate[n];
            precision += omega[n] * c * c;
            shift += c * (response[n] - 0.5 - omega[n] * (psi[n] - c * current));
        }
    }

    /// <summary>A draw from β's conditional given the entries added.</summary>
    public readonly double Draw(ref RandomStream random) => shift / precision + random.NextNormal() / System.Math.Sqrt(precision);
}
