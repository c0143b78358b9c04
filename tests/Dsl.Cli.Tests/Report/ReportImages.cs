using System.Text.RegularExpressions;
using SkiaSharp;
using Xunit;

namespace Dsl.Cli.Tests.Report;

/// <summary>Pixel checks of rendered plots: text and axes (dark pixels) and marks (saturated colour), not just HTML strings.</summary>
internal static class ReportImages
{
    public static IReadOnlyList<SKBitmap> EmbeddedPngs(string html) =>
        Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)").Select(m => SKBitmap.Decode(Convert.FromBase64String(m.Groups[1].Value))).ToList();

    /// <summary>
    /// At least <paramref name="dark"/> near-black pixels (labels, ticks, titles: missing fonts leave only the frame)
    /// and <paramref name="coloured"/> saturated ones (lines, points, bars, heatmap cells).
    /// </summary>
    public static void AssertTextAndMarks(SKBitmap image, string what, int dark = 400, int coloured = 40)
    {
        int darkPixels = 0, colouredPixels = 0;
        for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var p = image.GetPixel(x, y);
                var (max, min) = (Math.Max(p.Red, Math.Max(p.Green, p.Blue)), Math.Min(p.Red, Math.Min(p.Green, p.Blue)));
                if (max < 90) darkPixels++;
                if (max - min > 80) colouredPixels++;
            }
        Assert.True(darkPixels >= dark, $"{what}: {darkPixels} dark pixels (text, axes), expected at least {dark}");
        Assert.True(colouredPixels >= coloured, $"{what}: {colouredPixels} coloured pixels (marks), expected at least {coloured}");
    }
}
