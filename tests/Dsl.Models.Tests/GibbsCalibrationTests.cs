using Dsl.Models.Tests.Generality;
using Dsl.Runtime.Inference;
using Dsl.Runtime.Models;
using Xunit;

namespace Dsl.Models.Tests;

/// <summary>
/// Simulation-based calibration (Talts et al. 2018) of the generated Gibbs samplers, parameters held at the values
/// the data were simulated with: draw the latents from their priors and the data from them (the generated
/// <c>Simulate</c>), sweep, and rank the truth among thinned draws. A calibrated sampler ranks uniformly on 0..L; a
/// wrong conditional (a missing prior, a missing offset, a wrong likelihood term) bends the histogram. 100
/// replications, 99 draws each (every 4th sweep after 40), the ranks of every entry of the latent (exchangeable a
/// priori) pooled in 10 bins, chi-square with 9 degrees of freedom. Measured power: a slice prior weakened 20-fold
/// fails both slice models (chi-square 62 and 303); weakened 3-fold it fails the Student-t one only (62 against 5);
/// the exact conditional-versus-joint check in <see cref="SliceBlockTests"/> catches both.
/// </summary>
public sealed class GibbsCalibrationTests
{
    private const int Replications = 200, Burn = 40, Thin = 4, Kept = 99;

    /// <summary>The chi-square 0.999 quantile at 9 degrees of freedom: a calibrated sampler fails with probability 0.001.</summary>
    private const double Critical = 27.88;

    /// <summary>Polya-Gamma: a logistic regression's first coefficient.</summary>
    [Fact]
    public void LogisticRegressionCoefficients_AreCalibrated() => Calibrate<LogisticRegression>("beta", seed =>
    {
        var model = new LogisticRegression { SampleCount = 30, FeatureCount = 2, priorVarianceValues = 1.5, xValues = Covariates(30, 2, seed) };
        return (model, f => model.betaDraw(new LogisticRegression.Feature(f)));
    }, "beta");

    /// <summary>The slice rule with a Normal prior behind a complementary log-log link.</summary>
    [Fact]
    public void GerminationEffects_AreCalibrated() => Calibrate<Germination>("u", seed =>
    {
        var model = new Germination { SeedCount = 4, PlotCount = 3, interceptValues = -0.2, slopeValues = 0.7, plotVarianceValues = 0.8, doseValues = Covariates(4, 3, seed) };
        return (model, p => model.uDraw(new Germination.Plot(p)));
    }, "u");

    /// <summary>The slice rule with a Student-t prior.</summary>
    [Fact]
    public void RobustGerminationEffects_AreCalibrated() => Calibrate<RobustGermination>("u", seed =>
    {
        var model = new RobustGermination { SeedCount = 4, PlotCount = 3, interceptValues = -0.2, slopeValues = 0.7, plotScaleValues = 0.8, doseValues = Covariates(4, 3, seed) };
        return (model, p => model.uDraw(new RobustGermination.Plot(p)));
    }, "u");

    /// <summary>Dirichlet allocation: a document's first topic weight.</summary>
    [Fact]
    public void TopicWeights_AreCalibrated() => Calibrate<TopicModel>("theta", seed =>
    {
        const int words = 8;
        var phi = new double[words, 2];
        for (var v = 0; v < words; v++) { phi[v, 0] = (v < words / 2 ? 3.0 : 1.0) / (2 * words); phi[v, 1] = (v < words / 2 ? 1.0 : 3.0) / (2 * words); }
        var model = new TopicModel { WordCount = words, TopicCount = 2, DocumentCount = 3, phiValues = phi, alphaValues = [0.8, 1.5] };
        // The simulated theta is row-major over (Topic, Document): entry n is topic n / 3 of document n % 3.
        return (model, n => model.thetaDraw(new TopicModel.Topic(n / 3), new TopicModel.Document(n % 3)));
    }, "theta", totals: 40);

    /// <summary>
    /// Crossed Pólya-Gamma blocks: a scalar intercept, row effects, group effects (read through each column's group)
    /// and entry effects (over both plates) drawn from every entry that reads them, beside the per-column slopes of
    /// the primary block.
    /// Each crossed latent and the primary's are ranked; a crossed block that dropped another's term from its
    /// predictor, or read the response at the wrong entry, shifts its histogram.
    /// </summary>
    [Theory]
    [InlineData("intercept")]
    [InlineData("rowEffect")]
    [InlineData("groupEffect")]
    [InlineData("entryEffect")]
    [InlineData("slope")]
    public void CrossedEffects_AreCalibrated(string latent) => Calibrate<CrossedLogistic>(latent, seed =>
    {
        var x = new double[20];
        var random = new Runtime.Random.RandomStream(seed, 9);
        for (var r = 0; r < x.Length; r++) x[r] = random.NextNormal();
        var model = new CrossedLogistic { RowCount = 20, ColumnCount = 4, GroupCount = 2, slopeVarianceValues = 0.8, xValues = x, groupOfValues = [0, 1, 0, 1] };
        return (model, latent switch
        {
            "intercept" => _ => model.interceptDraw(),
            "rowEffect" => n => model.rowEffectDraw(new CrossedLogistic.Row(n)),
            "groupEffect" => n => model.groupEffectDraw(new CrossedLogistic.Group(n)),
            // The simulated entryEffect is row-major over (Row, Column).
            "entryEffect" => n => model.entryEffectDraw(new CrossedLogistic.Row(n / 4), new CrossedLogistic.Column(n % 4)),
            _ => n => model.slopeDraw(new CrossedLogistic.Column(n)),
        });
    }, latent);

    private static void Calibrate<TModel>(string what, Func<ulong, (TModel Model, Func<int, double> Draw)> create, string latent, int totals = 0)
        where TModel : IDeclaredModel, IGibbsEmModel
    {
        var bins = new int[10];
        for (var replication = 0; replication < Replications; replication++)
        {
            var seed = 300 + (ulong)replication;
            var (model, draw) = create(seed);
            var settings = totals > 0 ? new SimulationSettings { DefaultTotal = totals } : new SimulationSettings();
            var drawn = model.Simulate(seed, settings);
            foreach (var node in model.Descriptor.Nodes.Where(n => n.Role == Runtime.Graph.GraphNodeRole.Observed)) model.Store(node.Name, drawn[node.Name]);
            var truth = drawn[latent];
            model.InitializeLatents(seed);
            var ranks = new int[truth.Length];
            for (var sweep = 0; sweep < Burn + Thin * Kept; sweep++)
            {
                model.Sweep(new SweepContext(seed, sweep, Record: false, Threads: 1));
                if (sweep < Burn || (sweep - Burn) % Thin != Thin - 1) continue;
                for (var n = 0; n < truth.Length; n++) if (draw(n) < truth[n]) ranks[n]++;
            }
            foreach (var rank in ranks) bins[rank * 10 / (Kept + 1)]++;
        }
        var expected = bins.Sum() / 10.0;
        var chiSquare = bins.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < Critical, $"{what}: rank histogram [{string.Join(", ", bins)}], chi-square {chiSquare:F1} >= {Critical}");
    }

    private static double[,] Covariates(int rows, int columns, ulong seed)
    {
        var random = new Runtime.Random.RandomStream(seed, 9);
        var x = new double[rows, columns];
        for (var r = 0; r < rows; r++) for (var c = 0; c < columns; c++) x[r, c] = random.NextNormal();
        return x;
    }
}
