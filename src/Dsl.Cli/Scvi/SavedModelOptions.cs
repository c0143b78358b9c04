using System.CommandLine;
using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;

namespace Dsl.Cli.Scvi;

/// <summary>The options every command on a saved scVI shares (`--model --counts --metadata --batch-key --threads`) and the loading they imply.</summary>
public sealed class SavedModelOptions
{
    private readonly Option<string> model = new("--model") { Description = "The model/ folder written by `dsl fit scvi`.", Required = true };
    private readonly Option<string> counts = new("--counts") { Description = "Counts of the cells: a 10x folder, .h5ad, CSV/TSV or Matrix Market file; genes matched to the model's by name.", Required = true };
    private readonly Option<string?> metadata = new("--metadata") { Description = "Per-cell metadata CSV (first column the cell name); an .h5ad's obs columns are used without it." };
    private readonly Option<string?> batchKey = new("--batch-key") { Description = "Metadata column of each cell's batch (levels the model was trained on)." };
    private readonly Option<string?> layer = LayerOption.Create();
    private readonly Option<int> threads = new("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { model, counts, layer, metadata, batchKey, threads }) command.Options.Add(option);
    }

    public string? MetadataPath(ParseResult result) => result.GetValue(metadata);

    public string ModelFolder(ParseResult result) => result.GetValue(model)!;

    public string CountsPath(ParseResult result) => result.GetValue(counts)!;

    public int Threads(ParseResult result) => CliArguments.Positive(result.GetValue(threads), "--threads");

    /// <summary>Options that only a saved scVI reads (a saved gimVI refuses them).</summary>
    public IEnumerable<Option> ScviOnly => [metadata, batchKey, layer];

    /// <summary>The saved model over the given cells; counts the model refuses (non-integer, negative) are reported against the counts file.</summary>
    public LoadedModel Load(ParseResult result, TextWriter error)
    {
        var saved = ScviModelFolder.Read(result.GetValue(model)!);
        var countsPath = result.GetValue(counts)!;
        var inputs = ScviInputReader.ReadFor(saved, countsPath, result.GetValue(metadata), result.GetValue(batchKey), error, result.GetValue(layer));
        try
        {
            var (scvi, variational) = saved.Apply(inputs, CliArguments.Positive(result.GetValue(threads), "--threads"));
            return new LoadedModel(saved, inputs, scvi, variational);
        }
        catch (ArgumentException e) { throw new CliException($"{countsPath}: {e.Message}"); }
    }
}

public sealed record LoadedModel(ScviSavedModel Saved, ScviInputs Inputs, IScviModel Model, IScviPosterior<float> Variational);
