using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;
using Xunit;
using UrsmModel = Dsl.Models.Ursm.Ursm;

namespace Dsl.Models.Tests.Binding;

/// <summary>
/// Data bound to generated models by node name (<see cref="DataBinder"/> over the generated <see cref="IDeclaredModel"/>):
/// what binds, and one line per bad binding naming the node and the fix.
/// </summary>
public sealed class DataBindingTests
{
    private const string Source = "data.json";

    private static NodeValues Member(string name, double[] values, params int[] shape) => new(name, shape, values);

    private static NodeValues Matrix(string name, double[,] values) =>
        new(name, [values.GetLength(0), values.GetLength(1)], values.Cast<double>().ToArray());

    private static readonly double[,] X = { { 1, 0.5 }, { 1, -0.5 }, { 1, 2 } };

    private static List<string> Bind(IDeclaredModel model, params NodeValues[] members)
    {
        var warnings = new List<string>();
        DataBinder.Bind(model, members, Source, warnings.Add);
        return warnings;
    }

    private static string Refusal(IDeclaredModel model, params NodeValues[] members) =>
        Assert.Throws<DataFormatException>(() => Bind(model, members)).Message;

    [Fact]
    public void LogisticRegression_BindsPlatesValuesAndStartingValues()
    {
        var model = new LogisticRegression();
        var warnings = Bind(model, Matrix("x", X), Member("y", [0, 1, 1], 3));
        Assert.Empty(warnings);
        Assert.Equal((3, 2), (model.SampleCount, model.FeatureCount));
        Assert.Equal(X, model.xValues);
        Assert.Equal([0, 1, 1], model.yValues);
        // Not in the file: the generated start, 1 for a [Positive] parameter.
        Assert.Equal(1.0, model.priorVarianceValues);
        var read = new double[6];
        Assert.True(((IDeclaredModel)model).TryRead("x", read));
        Assert.Equal(X.Cast<double>(), read);
        // No latent state before a fit.
        Assert.False(((IDeclaredModel)model).TryRead("beta", new double[2]));
    }

    [Fact]
    public void AParameterInTheFile_IsItsStartingValue()
    {
        var model = new LogisticRegression();
        Bind(model, Matrix("x", X), Member("y", [0, 1, 1], 3), Member("priorVariance", [0.25]));
        Assert.Equal(0.25, model.priorVarianceValues);
    }

    [Fact]
    public void MissingNode_NamesItAndHowToAddIt() =>
        Assert.Equal("data.json: no member 'y' for observed node y(Sample) (line 15); add \"y\": an array over Sample, or give its own file with --data y=FILE", Refusal(new LogisticRegression(), Matrix("x", X)));

    [Fact]
    public void ShapesThatDisagree_NameBothSizes() =>
        Assert.Equal("data.json: plate Sample has 4 entries in 'y' (axis 1) but 3 in 'x'; make the arrays agree on every plate's size",
            Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1, 1, 0], 4)));

    [Fact]
    public void ANumberForAnArrayNode_IsAShapeError() =>
        Assert.Contains("member 'y' is a number but y(Sample) (line 15) has 1 plate", Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [1])));

    [Fact]
    public void NonIntegerForAnIntNode_IsRefusedAtItsPlace() =>
        Assert.Equal("data.json: y[2] is 1.5, not an integer, and y is an int node; give raw integer counts, not normalised or log-transformed values",
            Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1.5, 1], 3)));

    [Fact]
    public void ABernoulliOutcomeOtherThanZeroOrOne_IsRefused() =>
        Assert.Contains("y[3] is 2, but y is drawn from a Bernoulli; give 0 or 1", Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1, 2], 3)));

    [Fact]
    public void NegativeValueForAPositiveNode_IsRefused() =>
        Assert.Equal("data.json: priorVariance is -1, but priorVariance is [Positive]; give values above 0",
            Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1, 1], 3), Member("priorVariance", [-1])));

    [Fact]
    public void UnknownMember_IsAWarningNamingTheClosestNode()
    {
        var warnings = Bind(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1, 1], 3), Member("priorVarience", [1]));
        Assert.Equal("data.json: member 'priorVarience' is not a node or plate of LogisticRegression, so it is not used; did you mean 'priorVariance'?", Assert.Single(warnings));
    }

    [Fact]
    public void ValuesForALatent_AreRefused() =>
        Assert.Contains("member 'beta' gives values for latent node beta(Feature), which the fit infers", Refusal(new LogisticRegression(), Matrix("x", X), Member("y", [0, 1, 1], 3), Member("beta", [1, 2], 2)));

    [Fact]
    public void APlateNoMemberSpans_NeedsItsSize()
    {
        var counts = Member("count", new double[6], 3, 2);
        Assert.Equal("data.json: plate Topic has no size: no member spans it; add \"Topic\": N, its number of entries (or pass --plate Topic=N)", Refusal(new TopicModel(), counts));
        var model = new TopicModel();
        Bind(model, counts, Member("Topic", [2]));
        Assert.Equal((3, 2, 2), (model.WordCount, model.TopicCount, model.DocumentCount));
        // A [Simplex(Word)] parameter starts uniform over Word; alpha ([Positive, Floor(1e-3)]) at 1.
        Assert.All(model.phiValues.Cast<double>(), v => Assert.Equal(1.0 / 3, v, 12));
        Assert.All(model.alphaValues, v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void APlateMemberDisagreeingWithAnArray_IsRefused() =>
        Assert.Equal("data.json: plate Word has 3 entries in 'count' (axis 1) but 4 in member 'Word'; make the arrays agree on every plate's size",
            Refusal(new TopicModel(), Member("Word", [4]), Member("Topic", [2]), Member("count", new double[6], 3, 2)));

    private static NodeValues[] UrsmData(double[] types) =>
    [
        Member("G", types, 3), Member("X", new double[4], 2, 2), Member("Y", new double[6], 2, 3), Member("Type", [2]),
    ];

    [Fact]
    public void PlateIndices_AreOneBasedInFiles_AndStoredZeroBased()
    {
        var model = new UrsmModel();
        Bind(model, UrsmData([1, 2, 2]));
        Assert.Equal([0, 1, 1], model.GValues);
        Assert.Equal("data.json: G[3] is 3, outside plate Type (1 to 2); give 1-based positions in plate Type, as Stan does", Refusal(new UrsmModel(), UrsmData([1, 2, 3])));
        Assert.Contains("G[1] is 0, outside plate Type", Refusal(new UrsmModel(), UrsmData([0, 1, 1])));
    }

    [Fact]
    public void ASimplexThatDoesNotSumToOne_AndAValueBelowItsFloor_AreRefused()
    {
        var profiles = Member("A", [0.5, 0.5, 0.25, 0.5], 2, 2);
        Assert.Equal("data.json: A[·,1] sums to 0.75 over plate Gene, but A is [Simplex(Gene)]; give each of its columns over that plate as proportions summing to 1",
            Refusal(new UrsmModel(), [.. UrsmData([1, 2, 2]), profiles]));
        Assert.Contains("alpha[2] is 0.001, below alpha's [Floor(0.01)]", Refusal(new UrsmModel(), [.. UrsmData([1, 2, 2]), Member("alpha", [1, 0.001], 2)]));
    }

    [Fact]
    public void ADeterministicNode_IsEvaluatedAtGivenLatents_AsItsDeclarationSays()
    {
        var model = new UrsmModel();
        Bind(model, [.. UrsmData([1, 2, 2]), Member("A", [0.25, 0.5, 0.75, 0.5], 2, 2)]);
        var latents = new Dictionary<string, double[]> { ["kappa"] = [0.5, -1, 2], ["tau"] = [1, 2, -0.5], ["W"] = new double[4], ["S"] = new double[6] };
        var pi = new double[6];
        Assert.True(((IDeclaredModel)model).TryEvaluate("pi", latents, pi));
        // pi(i, l) = Logistic(kappa(l) + tau(l) * A(i, G(l))), row-major over (Gene, Cell); G = [1, 2, 2] (1-based).
        double[,] a = { { 0.25, 0.5 }, { 0.75, 0.5 } };
        int[] g = [0, 1, 1];
        for (var i = 0; i < 2; i++)
            for (var l = 0; l < 3; l++)
                Assert.Equal(1 / (1 + Math.Exp(-(latents["kappa"][l] + latents["tau"][l] * a[i, g[l]]))), pi[i * 3 + l], 14);
        Assert.False(((IDeclaredModel)model).TryEvaluate("S", latents, pi));
    }

    [Fact]
    public void TheAuthorsStartingValues_AreComputedWithTheDataBound_AndAFilesParameterReplacesThem()
    {
        // Y (Gene x Cell): cell 1 of type 1 reads [3, 1]; cells 2 and 3 of type 2 read [0, 2] and [1, 3].
        NodeValues[] data = [Member("G", [1, 2, 2], 3), Member("X", [5, 1, 1, 5], 2, 2), Member("Y", [3, 0, 1, 1, 2, 3], 2, 3), Member("Type", [2])];
        var model = new UrsmModel();
        Bind(model, data);
        // URSM's hook (Ursm/Hooks/UrsmStartingValues.cs): eq 4.2's naive profiles, mean over a type's cells of Y / depth.
        Assert.Equal(0.75, model.AValues[0, 0], 12);
        Assert.Equal(0.25, model.AValues[1, 0], 12);
        Assert.Equal((0.0 / 2 + 1.0 / 4) / 2, model.AValues[0, 1], 12);
        Assert.Equal((2.0 / 2 + 3.0 / 4) / 2, model.AValues[1, 1], 12);
        Assert.Equal(2.0, model.muTauValues);
        Assert.Equal(1.0, model.varKappaValues);

        var given = new UrsmModel();
        Bind(given, [.. data, Member("muTau", [7])]);
        Assert.Equal(7.0, given.muTauValues);
        Assert.Equal(model.AValues, given.AValues);
    }
}
