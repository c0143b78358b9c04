using System.Numerics;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

namespace Dsl.Models.Scvi;

/// <summary>The count likelihood of a scVI fit (`--likelihood`); each is its own declaration in models/Dsl.Models/Scvi.</summary>
public enum ScviLikelihood
{
    /// <summary>Zero-inflated negative binomial, the paper's model (<see cref="Scvi"/>).</summary>
    Zinb,

    /// <summary>Negative binomial (<see cref="ScviNb"/>).</summary>
    Nb,

    /// <summary>Poisson (<see cref="ScviPoisson"/>).</summary>
    Poisson,
}

/// <summary>
/// What the scVI analysis needs of a declared variant besides its nodes (plate sizes and data are read by name through
/// <see cref="Dsl.Runtime.Models.IDeclaredModel"/>): its likelihood and its variational model, which the partial
/// classes below add.
/// </summary>
public interface IScviModel : Dsl.Runtime.Models.IDeclaredModel
{
    ScviLikelihood Likelihood { get; }

    /// <summary>The generated variational model of this declaration over these data, in single precision.</summary>
    IScviPosterior<float> CreatePosterior(ulong seed);
}

/// <summary>
/// What the workflow reads from a variant's generated variational model besides training: generated members, and
/// <see cref="CountMean"/>, which the partial classes below point at the generated mean of their count distribution.
/// </summary>
public interface IScviPosterior<T> : IVariationalModel<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>−1: each cell decoded with its own batch; a level: every cell decoded as if in that batch.</summary>
    int sDecoderLevel { get; set; }

    void Sample(ReadOnlySpan<int> elements, ulong seed, ulong stream);
    ReadOnlySpan<T> zPosteriorMean { get; }
    ReadOnlySpan<T> lPosteriorMean { get; }
    ReadOnlySpan<T> rhoOutput { get; }

    /// <summary>The count distribution's mean l·ρ at the posterior means (after <see cref="IVariationalModel{T}.Infer"/>).</summary>
    ReadOnlySpan<T> CountMean { get; }
}

/// <summary>A variant whose counts have a gene-wise inverse dispersion θ_g.</summary>
public interface IGeneDispersion<T>
{
    T thetaAt(int index);
}

/// <summary>The variant of each likelihood.</summary>
public static class ScviVariants
{
    public static IScviModel Create(ScviLikelihood likelihood) => likelihood switch
    {
        ScviLikelihood.Zinb => new Scvi(),
        ScviLikelihood.Nb => new ScviNb(),
        ScviLikelihood.Poisson => new ScviPoisson(),
        _ => throw new ArgumentOutOfRangeException(nameof(likelihood)),
    };

    /// <summary>The option value of a likelihood (`zinb`, `nb`, `poisson`).</summary>
    public static string Name(ScviLikelihood likelihood) => likelihood.ToString().ToLowerInvariant();

    public static ScviLikelihood Parse(string name)
    {
        foreach (var likelihood in Enum.GetValues<ScviLikelihood>())
            if (Name(likelihood) == name.ToLowerInvariant()) return likelihood;
        throw new ArgumentException($"unknown likelihood '{name}'; use zinb, nb or poisson");
    }
}

public partial class Scvi : IScviModel
{
    public ScviLikelihood Likelihood => ScviLikelihood.Zinb;
    public IScviPosterior<float> CreatePosterior(ulong seed) => new Variational<float>(this, seed);

    public sealed partial class Variational<T> : IScviPosterior<T>, IGeneDispersion<T>
    {
        public ReadOnlySpan<T> CountMean => xMeanValues;
    }
}

public partial class ScviNb : IScviModel
{
    public ScviLikelihood Likelihood => ScviLikelihood.Nb;
    public IScviPosterior<float> CreatePosterior(ulong seed) => new Variational<float>(this, seed);

    public sealed partial class Variational<T> : IScviPosterior<T>, IGeneDispersion<T>
    {
        public ReadOnlySpan<T> CountMean => xMeanValues;
    }
}

public partial class ScviPoisson : IScviModel
{
    public ScviLikelihood Likelihood => ScviLikelihood.Poisson;
    public IScviPosterior<float> CreatePosterior(ulong seed) => new Variational<float>(this, seed);

    public sealed partial class Variational<T> : IScviPosterior<T>
    {
        public ReadOnlySpan<T> CountMean => xRateValues;
    }
}
