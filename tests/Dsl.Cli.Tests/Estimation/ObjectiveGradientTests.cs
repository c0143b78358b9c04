using Dsl.Runtime.Optimisation;
using Xunit;

namespace Dsl.Cli.Tests.Estimation;

/// <summary>
/// Every generated log likelihood of a model of parameters only: its gradient in each parameter entry against
/// central differences of itself (the matrix products' backward GEMMs, the masks and the kernels' partials all enter
/// it), and the products lowered to GEMM against the same sums evaluated by plain loops.
/// </summary>
public sealed class ObjectiveGradientTests(EstimationDeclarations declarations) : IClassFixture<EstimationDeclarations>
{
    private static readonly string[] models = ["Frequencies", "LowRank", "LowRankLoops", "Mixture", "MultiOutput", "PoissonNmf", "Responders", "RidgeLowRank", "SmoothedFrequencies", "ThreeLayers", "ThreeLayersLoops", "UnboundedFactors"];

    public static TheoryData<string> Models => new(models);

    private static readonly Dictionary<string, int> sizes = new()
    {
        ["Cell"] = 7, ["Gene"] = 5, ["Factor"] = 3, ["Wide"] = 4, ["Middle"] = 3, ["Narrow"] = 2, ["Program"] = 3,
        ["Sample"] = 9, ["Covariate"] = 3, ["Output"] = 2, ["Choice"] = 12, ["Category"] = 4, ["Component"] = 3,
    };

    private static Dictionary<string, int> PlatesOf(IPointEstimatedModel model) => model.Descriptor.Plates.ToDictionary(p => p, p => sizes[p]);

    [Fact]
    public void TheTheoryData_CoverEveryModel() => Assert.Equal(models, declarations.Models);

    /// <summary>Each model at the default blocks, and with blocks of 10 entries (2 cells of 5 genes: 4 blocks of 7 cells, the last short).</summary>
    public static TheoryData<string, int> ModelsAndBlocks
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var model in models)
            {
                data.Add(model, Runtime.Neural.ProductBlocks.DefaultEntries);
                data.Add(model, 10);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndBlocks))]
    public void ParameterGradients_MatchFiniteDifferences(string name, int blockEntries)
    {
        using var blocks = Runtime.Neural.ProductBlocks.Limit(blockEntries);
        var model = declarations.Create(name);
        model = declarations.Simulated(name, PlatesOf(model), 41);
        // Log likelihoods of order 100 at a step of 1e-6: rounding near 1e-8, within 1e-6 relative (see ParameterGradientCheck).
        Sampling.ParameterGradientCheck.Assert(model, model.CreateObjective(), [], 1e-6, $"{name}.");
    }

    [Theory]
    [InlineData("RidgeLowRank", Runtime.Neural.ProductBlocks.DefaultEntries)]
    [InlineData("RidgeLowRank", 10)]
    [InlineData("PoissonNmf", 10)]
    public void RowRanges_AddUpToTheWhole_AndScaleOnlyTheLikelihood(string name, int blockEntries)
    {
        using var blocks = Runtime.Neural.ProductBlocks.Limit(blockEntries);
        var model = declarations.Simulated(name, PlatesOf(declarations.Create(name)), 47);
        var objective = model.CreateObjective();
        var rows = model.GetPlateSize(objective.RowPlate!);
        double[] Gradients() => objective.Parameters.SelectMany(p =>
        {
            var values = new double[model.Descriptor.Find(p)!.Plates.Select(model.GetPlateSize).Aggregate(1, (a, b) => a * b)];
            objective.TryReadParameterGradient(p, values);
            return values;
        }).ToArray();
        var whole = objective.Evaluate([], []);
        var wholeGradient = Gradients();
        // At scale 0 only the log priors remain; each range at scale 1 adds its rows' likelihood to them.
        var priors = objective.EvaluateRows(0, rows, 0);
        var priorGradient = Gradients();
        var (sum, sumGradient) = (priors, (double[])priorGradient.Clone());
        foreach (var (start, count) in new[] { (0, 3), (3, 1), (4, rows - 4) })
        {
            sum += objective.EvaluateRows(start, count, 1) - priors;
            var gradient = Gradients();
            for (var i = 0; i < gradient.Length; i++) sumGradient[i] += gradient[i] - priorGradient[i];
        }
        // The same terms summed in another grouping: equal to rounding.
        Assert.Equal(whole, sum, 1e-10 * Math.Abs(whole));
        for (var i = 0; i < wholeGradient.Length; i++) Assert.Equal(wholeGradient[i], sumGradient[i], 1e-9 * (1 + Math.Abs(wholeGradient[i])));
        // A scale multiplies the rows' likelihood and nothing else.
        var scaled = objective.EvaluateRows(2, 3, 2.5);
        Assert.Equal(priors + 2.5 * (objective.EvaluateRows(2, 3, 1) - priors), scaled, 1e-10 * Math.Abs(scaled));
    }

    [Theory]
    [InlineData("LowRank", "LowRankLoops", Runtime.Neural.ProductBlocks.DefaultEntries)]
    [InlineData("ThreeLayers", "ThreeLayersLoops", Runtime.Neural.ProductBlocks.DefaultEntries)]
    [InlineData("LowRank", "LowRankLoops", 10)]
    [InlineData("ThreeLayers", "ThreeLayersLoops", 10)]
    public void MatrixProducts_AgreeWithPlainLoops(string lowered, string loops, int blockEntries)
    {
        using var blocks = Runtime.Neural.ProductBlocks.Limit(blockEntries);
        var a = declarations.Simulated(lowered, PlatesOf(declarations.Create(lowered)), 43);
        var b = declarations.Simulated(loops, PlatesOf(declarations.Create(loops)), 43);
        var (first, second) = (a.CreateObjective(), b.CreateObjective());
        // The same seed gives both the same data and parameters; only the evaluation order of the sums differs, so
        // they agree to rounding (1e-12 relative on sums of a few hundred terms).
        var (la, lb) = (first.Evaluate([], []), second.Evaluate([], []));
        Assert.Equal(lb, la, Math.Abs(lb) * 1e-12);
        foreach (var parameter in first.Parameters)
        {
            var length = a.Descriptor.Find(parameter)!.Plates.Select(a.GetPlateSize).Aggregate(1, (x, y) => x * y);
            var (ga, gb) = (new double[length], new double[length]);
            first.TryReadParameterGradient(parameter, ga);
            second.TryReadParameterGradient(parameter, gb);
            for (var i = 0; i < length; i++) Assert.Equal(gb[i], ga[i], 1e-10 * (1 + Math.Abs(gb[i])));
        }
        // The predictions read the same products, block by block where blocked: E[y] is the mean the loops compute.
        var entries = a.Descriptor.Find(first.Incomplete[0])!.Plates.Select(a.GetPlateSize).Aggregate(1, (x, y) => x * y);
        var (pa, pb) = (new double[entries], new double[entries]);
        Assert.True(first.TryPredict(first.Incomplete[0], pa));
        Assert.True(second.TryPredict(second.Incomplete[0], pb));
        for (var i = 0; i < entries; i++) Assert.Equal(pb[i], pa[i], 1e-12 * (1 + Math.Abs(pb[i])));
        // The lowered model evaluates no sum entry by entry: one GEMM per product replaces the loops.
        Assert.NotNull(first.GetType().GetMethod("MultiplyMatrices", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
        Assert.Null(second.GetType().GetMethod("MultiplyMatrices", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance));
    }
}
