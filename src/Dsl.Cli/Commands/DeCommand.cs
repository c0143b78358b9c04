using System.CommandLine;
using System.Globalization;
using System.Text;
using Dsl.Analysis.Scvi;
using Dsl.Cli.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Commands;

/// <summary>`dsl de`: Bayes factors between two groups of cells with a saved scVI model (§2.7, Methods 4.3).</summary>
public static class DeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var shared = new SavedModelOptions();
        var groupKey = new Option<string>("--group-key") { Description = "Metadata column that defines the groups.", Required = true };
        var group1 = new Option<string>("--group1") { Description = "Level of --group-key for the first group.", Required = true };
        var group2 = new Option<string?>("--group2") { Description = "Level for the second group (default: every other cell)." };
        var pairs = new Option<int>("--pairs") { Description = "Random cell pairs (one draw from q for each cell).", DefaultValueFactory = _ => 10000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var outFile = new Option<string>("--out") { Description = "CSV of genes by |Bayes factor|: gene, bayes_factor, p_group1_higher, mean_rho_group1, mean_rho_group2, log2_fold_change, differential.", Required = true };
        var command = new Command("de", "Bayes-factor differential expression between two groups of cells with a fitted scVI model; |K| > 3 marks a gene.")
            { groupKey, group1, group2, pairs, seed, outFile };
        shared.AddTo(command);
        command.SetAction(r =>
        {
            var loaded = shared.Load(r, error);
            var inputs = loaded.Inputs;
            var metadata = shared.MetadataPath(r) ?? throw new CliException("dsl de needs --metadata, the file holding the --group-key column");
            var (codes, levels) = ScviInputReader.Column(metadata, r.GetValue(groupKey)!, inputs.Counts, "--group-key");
            var first = Members(codes, levels, r.GetValue(group1)!, metadata, r.GetValue(groupKey)!, negate: false);
            var second = r.GetValue(group2) is { } other
                ? Members(codes, levels, other, metadata, r.GetValue(groupKey)!, negate: false)
                : Members(codes, levels, r.GetValue(group1)!, metadata, r.GetValue(groupKey)!, negate: true);
            if (second.Length == 0) throw new CliException($"{metadata}: every cell is in '{r.GetValue(group1)}'; there is no second group");
            var factors = ScviDifferentialExpression.Compare(loaded.Model, loaded.Variational, first, second, CliArguments.Positive(r.GetValue(pairs), "--pairs"), r.GetValue(seed));
            Write(r.GetValue(outFile)!, factors, inputs.Counts.GeneNames);
            var called = factors.Count(f => f.IsDifferential);
            output.WriteLine($"{first.Length} vs {second.Length} cells, {r.GetValue(pairs)} pairs: {called} of {factors.Count} genes with |K| > 3; table in {Path.GetFullPath(r.GetValue(outFile)!)}");
            foreach (var f in factors.OrderByDescending(f => Math.Abs(f.BayesFactor)).Take(10))
                output.WriteLine($"  {inputs.Counts.GeneNames[f.Gene],-20} K {f.BayesFactor,7:F2}  log2 fold change {Log2Ratio(f),6:F2}");
            return 0;
        });
        return command;
    }

    private static int[] Members(int[] codes, IReadOnlyList<string> levels, string level, string metadataPath, string key, bool negate)
    {
        var code = levels.ToList().IndexOf(level);
        if (code < 0) throw new CliException($"{metadataPath}: column '{key}' has no level '{level}'; its levels are {string.Join(", ", levels)}");
        return Enumerable.Range(0, codes.Length).Where(c => (codes[c] == code) != negate).ToArray();
    }

    private static double Log2Ratio(GeneBayesFactor f) => Math.Log2(f.MeanFirst / f.MeanSecond);

    private static void Write(string path, IReadOnlyList<GeneBayesFactor> factors, IReadOnlyList<string> genes)
    {
        var text = new StringBuilder("gene,bayes_factor,p_group1_higher,mean_rho_group1,mean_rho_group2,log2_fold_change,differential\n");
        foreach (var f in factors.OrderByDescending(f => Math.Abs(f.BayesFactor)))
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{CsvTable.Quote(genes[f.Gene])},{f.BayesFactor:R},{f.ProbabilityFirstHigher:R},{f.MeanFirst:R},{f.MeanSecond:R},{Log2Ratio(f):R},{(f.IsDifferential ? 1 : 0)}\n"));
        AtomicFile.WriteText(path, text.ToString());
    }
}
