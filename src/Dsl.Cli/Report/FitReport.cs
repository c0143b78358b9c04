using System.Text.Json;

namespace Dsl.Cli.Report;

/// <summary>report.html for a fit's output folder, from the files in it (so `dsl report DIR` rebuilds it at any time).</summary>
public static class FitReport
{
    public const string FileName = "report.html";

    /// <summary>report.html in a fit's output folder, recorded as one of the fit's outputs.</summary>
    public static string Write(OutputFolder folder, string? truth = null)
    {
        folder.File(FileName);
        return Write(folder.Path, truth);
    }

    /// <param name="truth">URSM: a `dsl simulate ursm` folder whose truth_A.csv and truth_S.csv the fit is compared with</param>
    public static string Write(string folder, string? truth = null)
    {
        var summaryPath = Path.Combine(folder, "summary.json");
        if (!File.Exists(summaryPath)) throw new CliException($"{folder}: no summary.json; give the --out folder of a `dsl fit`");
        JsonElement summary;
        try
        {
            summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement.Clone();
        }
        catch (JsonException e) { throw new CliException($"{summaryPath}: not valid JSON ({e.Message}); rerun the fit to write it again"); }
        var model = summary.TryGetProperty("model", out var name) ? name.GetString() : null;
        var page = new ReportPage($"dsl fit: {model} ({Path.GetFileName(Path.GetFullPath(folder))})");
        switch (model)
        {
            // A declared model's fit (`dsl fit model.cs`) records its model file, whatever the class is called.
            case not null when summary.TryGetProperty("model_file", out _): DeclaredReport.Build(page, folder, summary); break;
            case "ursm": UrsmReport.Build(page, folder, summary, truth); break;
            case "scvi": ScviReport.Build(page, folder, summary); break;
            default: throw new CliException($"{summaryPath}: model '{model}' has no report");
        }
        if (truth is not null && model != "ursm") throw new CliException("--truth applies to URSM fits only");
        var path = Path.Combine(folder, FileName);
        page.Write(path);
        return path;
    }
}
