using System.CommandLine;
using System.Globalization;
using System.Text;
using Dsl.Cli.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Commands;

/// <summary>`dsl de`: Bayes factors between two groups of cells with a saved scVI model (§2.7, Methods 4.3).</summary>
public static class DeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var modelFolder = new Option<string>("--model") { Description = "The model/ folder written by `dsl fit scvi`.", Required = true };
        var counts = new Option<string>("--counts") { Description = "Counts of the cells: a 10x folder, CSV/TSV or Matrix Market file.", Required = true };
        var metadata = new Option<string>("--metadata") { Description = "Per-cell metadata CSV holding the group column.", Required = true };
        var groupKey = new Option<string>("--group-key") { Description = "Metadata column that defines the groups.", Required = true };
        var group1 = new Option<string>("--group1") { Description = "Level of --group-key for the first group.", Required = true };
        var group2 = new Option<string?>("--group2") { Description = "Level for the second group (default: every other cell)." };
        var batchKey = new Option<string?>("--batch-key") { Description = "Metadata column of each cell's batch." };
        var pairs = new Option<int>("--pairs") { Description = "Random cell pairs (one draw from q for each cell).", DefaultValueFactory = _ => 10000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var outFile = new Option<string>("--out") { Description = "CSV of genes by |Bayes factor|: gene, bayes_factor, p_group1_higher, mean_rho_group1, mean_rho_group2, log2_fold_change, differential.", Required = true };
        var command = new Command("de", "Bayes-factor differential expression between two groups of cells with a fitted scVI model; |K| > 3 marks a gene.")
            { modelFolder, counts, metadata, groupKey, group1, group2, batchKey, pairs, seed, threads, outFile };
        command.SetAction(r =>
        {
            var saved = ScviModelFolder.Read(r.GetValue(modelFolder)!);
            var countsPath = r.GetValue(counts)!;
            var inputs = ScviInputReader.ReadFor(saved, countsPath, r.GetValue(metadata), r.GetValue(batchKey), error);
            var (codes, levels) = ScviInputReader.Column(r.GetValue(metadata), r.GetValue(groupKey)!, inputs.Counts.CellNames, "--group-key");
            var first = Members(codes, levels, r.GetValue(group1)!, r.GetValue(metadata)!, r.GetValue(groupKey)!, negate: false);
            var second = r.GetValue(group2) is { } other
                ? Members(codes, levels, other, r.GetValue(metadata)!, r.GetValue(groupKey)!, negate: false)
                : Members(codes, levels, r.GetValue(group1)!, r.GetValue(metadata)!, r.GetValue(groupKey)!, negate: true);
            if (second.Length == 0) throw new CliException($"{r.GetValue(metadata)}: every cell is in '{r.GetValue(group1)}'; there is no second group");
            var (model, variational) = ImputeCommand.Apply(saved, inputs, CliArguments.Positive(r.GetValue(threads), "--threads"), countsPath);
            var factors = ScviDifferentialExpression.Compare(model, variational, first, second, CliArguments.Positive(r.GetValue(pairs), "--pairs"), r.GetValue(seed));
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
