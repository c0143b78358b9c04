using System.Diagnostics;
using Dsl.Tests.Shared;
using SkiaSharp;
using Xunit;

using static Dsl.Cli.Tests.CliRunner;
using static Dsl.Cli.Tests.Hostile.HostileCase;

namespace Dsl.Cli.Tests.Report;

/// <summary>report.html after every fit: self-contained, every plot drawn with text and marks, rebuilt identically by `dsl report`.</summary>
public sealed class ReportTests
{
    [Fact]
    public void ScviFit_WritesAReport_WhosePlotsHaveTextAndMarks_AndReportRebuildsIt()
    {
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        var report = Path.Combine(folder, "report.html");
        var html = File.ReadAllText(report);

        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
        Assert.DoesNotContain("https://", html);
        var images = ReportImages.EmbeddedPngs(html);
        // ELBO, latent by batch, latent by cluster (cells.csv carries the metadata), library size.
        Assert.Equal(4, images.Count);
        for (var i = 0; i < images.Count; i++) ReportImages.AssertTextAndMarks(images[i], $"plot {i + 1}");
        Assert.Contains("Coloured by the metadata column &#39;cluster&#39;", html);
        Assert.Contains("<svg", html);

        File.Delete(report);
        Assert.Equal(0, RunDsl("report", folder).Exit);
        Assert.Equal(html, File.ReadAllText(report));
    }

    [Fact]
    public void UrsmReport_WithTheSimulationsTruth_DrawsTheDropoutRoc()
    {
        using var temp = new TempFolder();
        var data = UrsmData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitUrsm(data, folder).Exit);

        var rebuilt = RunDsl("report", folder, "--truth", data);

        Assert.True(rebuilt.Exit == 0, rebuilt.Err);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Matches(@"ranked by 1 − E\[S\]: AUC 0\.\d{3}", html);
        // Q, Â heatmap, Â against truth, W, E[S] histogram, ROC.
        var images = ReportImages.EmbeddedPngs(html);
        Assert.Equal(6, images.Count);
        for (var i = 0; i < images.Count; i++) ReportImages.AssertTextAndMarks(images[i], $"plot {i + 1}");
    }

    [Fact]
    public void ReportOfAFolderWithoutAFit_IsOneLine()
    {
        using var temp = new TempFolder();
        AssertOneLine(RunDsl("report", temp.Path), "no summary.json");
    }

    /// <summary>Debian's chromium, headless, loads the page without a console message, and its screenshot shows the plots.</summary>
    [SkippableFact]
    public void Report_LoadsInHeadlessChromium_AndTheScreenshotShowsPlots()
    {
        const string chromium = "/usr/bin/chromium";
        Skip.IfNot(File.Exists(chromium), "chromium is missing (apt-get install chromium); CI installs it");
        using var temp = new TempFolder();
        var data = ScviData(temp);
        var folder = Path.Combine(temp.Path, "fit");
        Assert.Equal(0, FitScvi(data, folder).Exit);
        var screenshot = Path.Combine(temp.Path, "page.png");

        var start = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(temp.Path, "profile")}", "--enable-logging=stderr", "--v=0",
            "--hide-scrollbars", "--window-size=1200,1400", $"--screenshot={screenshot}", "file://" + Path.Combine(folder, "report.html")])
            { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "chromium did not finish in 2 minutes");

        Assert.DoesNotContain(":CONSOLE", log.Result);
        using var page = SKBitmap.Decode(screenshot);
        Assert.Equal(1200, page.Width);
        ReportImages.AssertTextAndMarks(page, "the screenshot", dark: 2000, coloured: 200);
    }
}
