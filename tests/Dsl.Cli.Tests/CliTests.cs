using System.Xml.Linq;
using Dsl.Cli;
using Dsl.Tests.Shared;

using static Dsl.Cli.Tests.CliRunner;

namespace Dsl.Cli.Tests;

/// <summary>The `dsl` command end to end, in-process: exit codes, outputs, and one-line errors.</summary>
public sealed class CliTests
{
    private static void AssertOneLineError((int Exit, string Out, string Err) result, int exit, string phrase)
    {
        Assert.Equal(exit, result.Exit);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(phrase, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public void Check_BundledModels_Succeeds()
    {
        var result = RunDsl("check");

        Assert.Equal(0, result.Exit);
        // Every bundled model, gimVI's two included, is fitted by some engine: no warning.
        Assert.Contains("9 file(s), 9 model(s) generated, 0 error(s), 0 warning(s)", result.Out);
        Assert.Contains("model Ursm: fitted by Gibbs-EM", result.Out);
        Assert.Contains("model DeepMc3: fitted by maximum likelihood", result.Out);
        Assert.Contains("model Scvi: fitted by variational inference", result.Out);
        Assert.Contains("model Gimvi: fitted by variational inference", result.Out);
        Assert.Contains("model GimviNb: fitted by variational inference", result.Out);
    }

    [Fact]
    public void Check_AModelOfParametersOnly_IsFittedByMaximumLikelihood()
    {
        using var temp = new TempFolder();
        var path = temp.File("Counts.cs", """
            using Dsl;

            [PlateModel]
            public partial class Counts
            {
                [Plate] public partial struct Cell { }
                [Plate] public partial struct Gene { }
                [Data] public partial double size(Cell c);
                [Param, Positive] public partial double rate(Gene g);
                [Observed] public int y(Cell c, Gene g) => Dist.Poisson(size(c) * rate(g));
            }
            """);

        var result = RunDsl("check", path);

        Assert.Equal(0, result.Exit);
        Assert.Contains("model Counts: fitted by maximum likelihood", result.Out);
        Assert.Contains("0 warning(s)", result.Out);
    }

    [Fact]
    public void CheckPlan_PrintsEachEnginesUpdates_OrWhyItHasNone()
    {
        var result = RunDsl("check", RepoPaths.Conjugate, "--plan");

        Assert.Equal(0, result.Exit);
        // A Beta prior on a Binomial's probability: the catalogue's Beta entry, its statistics the successes and failures.
        Assert.Matches(@"(?m)^plan of BetaBinomialSites:\n    exact Gibbs\n        draw \w+ from Beta \(Beta", result.Out);
        Assert.Contains("    NUTS\n", result.Out);
        Assert.Contains("maximum likelihood: does not apply", result.Out);
        // Gibbs-EM's refusal is the planner's diagnostic, word for word.
        Assert.Matches(@"Gibbs-EM: no plan: DSL0401: Model 'BetaBinomialSites', node '\w+': no rule claims it", result.Out);
        // The mixture's components are exchangeable: the plan says their labels are aligned.
        Assert.Matches(@"(?m)^plan of ExchangeableMixture:\n(    .*\n)*    labels of Component aligned across chains and draws", result.Out);
        // Then the lowered program: the exact sweep's order and how NUTS evaluates the log density (no GEMM here).
        Assert.Matches(@"(?m)^lowered program of BetaBinomialSites:\n    exact Gibbs sweep, in this order\n        Update\w+: \w+ by Beta–Binomial\n    NUTS log density\n        observations evaluated by ranges of Site\n        no matrix products", result.Out);
    }

    [Fact]
    public void Check_BadModel_PrintsCompilerFormat_AndExits1()
    {
        using var temp = new TempFolder();
        var source = File.ReadAllText(RepoPaths.ModelFiles.Single(f => f.EndsWith("Ursm.cs")))
            .Replace("A(i, G(l)) * S(i, l) / Sum", "A(l, G(l)) * S(i, l) / Sum");
        var path = temp.File("Ursm.cs", source);
        var line = source.Split('\n').ToList().FindIndex(l => l.Contains("A(l, G(l))")) + 1;

        var result = RunDsl("check", path);

        Assert.Equal(1, result.Exit);
        // C# reports CS1503 at the same place; the DSL line says what to change in the model's terms.
        Assert.DoesNotContain("CS8795", result.Err);
        Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(path)}\({line},\d+\): error DSL0102: Model 'Ursm', node 'Y': argument 1 of 'A' must index plate 'Gene', but 'l' ranges over 'Cell'", result.Err);
        Assert.Contains("2 error(s)", result.Err);
    }

    [Fact]
    public void Check_MissingFile_IsOneLine()
    {
        AssertOneLineError(RunDsl("check", "/no/such/model.cs"), 1, "/no/such/model.cs: file not found");
    }

    [Fact]
    public void Graph_Ursm_DrawsFigure1()
    {
        using var temp = new TempFolder();
        var svgPath = Path.Combine(temp.Path, "ursm.svg");

        var result = RunDsl("graph", "ursm", "--svg", svgPath);

        Assert.Equal(0, result.Exit);
        // Figure 1 of the URSM paper: observed X and Y, latent S and W, deterministic pi, parameters A, alpha,
        // kappa/tau (drawn per cell), and the plates genes x cells and genes x bulk samples.
        Assert.Contains("[Gene x Cell]", result.Out);
        Assert.Contains("[Gene x Bulk]", result.Out);
        Assert.Contains("[x] Y  observed", result.Out);
        Assert.Contains("[x] X  observed", result.Out);
        Assert.Contains("(o) S  latent ~ Bernoulli(p: pi(i, l))  <- pi", result.Out);
        Assert.Contains("((=)) pi  deterministic = Logistic(kappa(l) + tau(l) * A(i, G(l)))  <- A, G, kappa, tau", result.Out);
        Assert.Contains("(o) W  latent ~ Dirichlet(over: k, concentration: alpha(k))  <- alpha", result.Out);
        var svg = XDocument.Load(svgPath);
        var labels = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "X", "Y", "S", "W", "pi", "A", "alpha", "kappa", "tau" }, labels);
        // One line per edge of Figure 1 plus those from the hyperparameters and cell types: 15.
        Assert.Equal(15, svg.Descendants().Count(e => e.Name.LocalName == "line"));
    }

    [Fact]
    public void Graph_ModelFile_IsCompiledInProcess()
    {
        using var temp = new TempFolder();
        var path = temp.File("Toy.cs", """
            using Dsl;
            namespace T;
            [PlateModel]
            public partial class Toy
            {
                [Plate] public partial struct Cell { }
                [Latent] public double z(Cell c) => Dist.Normal(0, 1);
                [Observed] public int y(Cell c) => Dist.Poisson(Fn.Exp(z(c)));
            }
            """);

        var result = RunDsl("graph", path, "--svg", Path.Combine(temp.Path, "toy.svg"));

        Assert.Equal(0, result.Exit);
        Assert.Contains("[x] y  observed ~ Poisson(rate: Exp(z(c)))  <- z", result.Out);
        Assert.True(File.Exists(Path.Combine(temp.Path, "toy.svg")));
    }

    [Fact]
    public void MissingArgument_IsOneLine_PointingAtHelp()
    {
        AssertOneLineError(RunDsl("graph"), 1, "dsl graph: Required argument 'model' missing for command: 'graph'; see 'dsl graph --help'");
    }

    [Fact]
    public void BadOptionValue_IsOneLine_WithTheChoices()
    {
        AssertOneLineError(RunDsl("data", "info", "x", "--orientation", "sideways"), 1,
            "dsl data info: Cannot parse argument 'sideways' for option '--orientation'");
    }

    [Fact]
    public void UnknownCommand_IsOneLine()
    {
        AssertOneLineError(RunDsl("frobnicate"), 1, "dsl: ");
    }

    [Fact]
    public void Graph_UnknownModel_IsOneLine()
    {
        AssertOneLineError(RunDsl("graph", "lda"), 1, "'lda' is neither a .cs model file nor a bundled model; the bundled models are: deepmc1, deepmc2, deepmc3, gimvi, gimvinb, scvi, scvinb, scvipoisson, ursm");
    }

    [Fact]
    public void DataInfo_Pbmc_WithMetadata()
    {
        var folder = RepoPaths.Pbmc;

        var result = RunDsl("data", "info", folder, "--counts", "--metadata", Path.Combine(folder, "cells_metadata.csv"));

        Assert.Equal(0, result.Exit);
        Assert.Contains("cells        80", result.Out);
        Assert.Contains("non-zeros    4456 (sparsity 0.758)", result.Out);
        Assert.Contains("metadata     ident: 3 levels (0: 36, 1: 25, 2: 19)", result.Out);
    }

    [Fact]
    public void DataInfo_RealValuesAsCounts_IsOneLine()
    {
        var result = RunDsl("data", "info", Path.Combine(RepoPaths.Fixtures, "lung_treutlein"), "--counts");

        AssertOneLineError(result, 1, "counts.mtx:3: the value at (2, 1) is 34.63543561, not an integer");
    }

    [Fact]
    public void DataConvert_ToCsv_AndBack()
    {
        using var temp = new TempFolder();
        var csv = Path.Combine(temp.Path, "pbmc.csv");

        Assert.Equal(0, RunDsl("data", "convert", RepoPaths.Pbmc, csv).Exit);
        var result = RunDsl("data", "info", csv, "--counts");

        Assert.Equal(0, result.Exit);
        Assert.Contains("non-zeros    4456", result.Out);
    }

    [Theory]
    [InlineData("check", "--emit-generated")]
    [InlineData("graph", "--svg")]
    [InlineData("data", "convert")]
    [InlineData("demo", "--out")]
    [InlineData("fit", "--out")]
    [InlineData("bench", "--json")]
    public void Help_DescribesEachCommand(string command, string mentions)
    {
        var result = RunDsl(command, "--help");

        Assert.Equal(0, result.Exit);
        Assert.Contains(mentions, result.Out);
    }

    [Fact]
    public void BenchKernels_Json_HasStableKeys()
    {
        var result = RunDsl("bench", "kernels", "--json", "--only", "pg1_z0", "--seconds", "0.02");

        Assert.Equal(0, result.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal(["pg1_z0", "pg1_z0_5"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(json.RootElement.GetProperty("pg1_z0").GetProperty("per_second").GetDouble() > 1e5);
        Assert.Equal("draws", json.RootElement.GetProperty("pg1_z0").GetProperty("unit").GetString());
    }

    [Fact]
    public void Demo_WritesAPlateDiagramPerModel_AndBothFits()
    {
        using var temp = new TempFolder();

        var result = RunDsl("demo", "--out", temp.Path);

        Assert.Equal(0, result.Exit);
        Assert.Equal(["DeepMc1.svg", "DeepMc2.svg", "DeepMc3.svg", "Gimvi.svg", "GimviNb.svg", "Scvi.svg", "ScviNb.svg", "ScviPoisson.svg", "Ursm.svg"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Contains("L1 loss of A", result.Out);
        Assert.Contains("scVI on real counts: pbmc_small", result.Out);
        Assert.Contains("marginal log-likelihood per cell", result.Out);
        Assert.Contains("latent vs 3 labels", result.Out);
        Assert.True(File.Exists(Path.Combine(temp.Path, "scvi", "evaluation.json")));
        // Redirected (here: a StringWriter), progress is plain lines: no carriage return, no escape code, and a line
        // at least every 5 % of each task and at its end.
        Assert.DoesNotContain('\r', result.Err);
        Assert.DoesNotContain('\u001b', result.Err);
        Assert.Contains("EM iteration 20/20 (100 %)", result.Err);
        Assert.Contains("epoch 400/400 (100 %)", result.Err);
        var percents = result.Err.Split('\n').Where(l => l.StartsWith("epoch ")).Select(l => int.Parse(l[(l.IndexOf('(') + 1)..l.IndexOf(" %")])).ToList();
        Assert.All(percents.Zip(percents.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 1, 5));
    }
}

/// <summary>--quiet and --json on the long commands.</summary>
public sealed class ProgressModeTests
{
    [Fact]
    public void Quiet_PrintsNoProgress_Json_PrintsOneObjectPerEpoch()
    {
        using var temp = new TempFolder();
        var data = Hostile.HostileCase.ScviData(temp);

        var quiet = Hostile.HostileCase.FitScvi(data, Path.Combine(temp.Path, "quiet"), "--quiet");
        var json = Hostile.HostileCase.FitScvi(data, Path.Combine(temp.Path, "json"), "--json");

        Assert.Equal(0, quiet.Exit);
        Assert.Equal("", quiet.Err);
        Assert.Equal(0, json.Exit);
        var events = json.Err.TrimEnd('\n').Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2], events.Where(e => e.GetProperty("event").GetString() == "progress").Select(e => e.GetProperty("step").GetInt32()));
        Assert.All(events.Where(e => e.GetProperty("event").GetString() == "progress"), e => Assert.Equal(2, e.GetProperty("total").GetInt32()));
    }
}
