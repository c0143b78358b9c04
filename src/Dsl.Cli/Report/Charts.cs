using ScottPlot;

namespace Dsl.Cli.Report;

/// <summary>
/// The report's plots, drawn headless by ScottPlot into inline PNGs. Text uses the DejaVu Sans shipped beside the
/// tool (Report/Fonts), so labels are drawn on a machine without system fonts, where they would silently be missing.
/// </summary>
public static class Charts
{
    public const int Width = 640, Height = 400;
    private const string Font = "DejaVu Sans";

    private static readonly Lazy<bool> fonts = new(() =>
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Report", "Fonts");
        Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans.ttf"), bold: false, italic: false);
        Fonts.AddFontFile(Font, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
        Fonts.Default = Font;
        return true;
    });

    public static Plot New(string title, string x, string y)
    {
        _ = fonts.Value;
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>An &lt;img&gt; holding the plot as a base64 PNG.</summary>
    public static string Html(Plot plot, int width = Width, int height = Height) => plot.GetPngHtml(width, height, "plot", "");

    /// <summary>Lines over a shared x, one per named series (NaN points left out).</summary>
    public static string Lines(string title, string x, string y, double[] xs, IReadOnlyList<(string Name, double[] Values)> series)
    {
        var plot = New(title, x, y);
        foreach (var (name, values) in series)
        {
            var kept = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(values[i])).ToArray();
            if (kept.Length == 0) continue;
            var line = plot.Add.Scatter(kept.Select(i => xs[i]).ToArray(), kept.Select(i => values[i]).ToArray());
            line.LegendText = name;
            line.MarkerSize = kept.Length > 60 ? 0 : 4;
        }
        plot.ShowLegend(Alignment.LowerRight);
        return Html(plot);
    }

    /// <summary>Points coloured by group, one legend entry per group (at most 20; the rest as "other").</summary>
    public static string Points(string title, string x, string y, double[] xs, double[] ys, IReadOnlyList<string>? groups)
    {
        var plot = New(title, x, y);
        var labels = groups ?? Enumerable.Repeat("cells", xs.Length).ToList();
        var order = labels.GroupBy(g => g).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var shown = order.Take(20).ToHashSet();
        foreach (var group in order.Take(20).Append("other"))
        {
            var members = Enumerable.Range(0, xs.Length).Where(i => group == "other" ? !shown.Contains(labels[i]) : labels[i] == group).ToArray();
            if (members.Length == 0) continue;
            var points = plot.Add.Scatter(members.Select(i => xs[i]).ToArray(), members.Select(i => ys[i]).ToArray());
            points.LineWidth = 0;
            points.MarkerSize = xs.Length > 2000 ? 2 : 4;
            points.LegendText = group;
        }
        if (groups is not null) plot.ShowLegend(Edge.Right);
        return Html(plot, Width + (groups is null ? 0 : 140));
    }

    /// <summary>A matrix as a heatmap with a colour bar (rows top to bottom).</summary>
    public static string Heatmap(string title, string x, string y, double[,] values)
    {
        var plot = New(title, x, y);
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        return Html(plot);
    }

    /// <summary>Stacked bars: one bar per column label, one segment per series (e.g. cell-type proportions per bulk sample).</summary>
    public static string StackedBars(string title, string x, string y, IReadOnlyList<string> bars, IReadOnlyList<(string Name, double[] Values)> series)
    {
        var plot = New(title, x, y);
        var palette = new ScottPlot.Palettes.Category10();
        var items = new List<Bar>();
        for (var b = 0; b < bars.Count; b++)
        {
            var bottom = 0.0;
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[b];
                items.Add(new Bar { Position = b, ValueBase = bottom, Value = bottom + value, FillColor = palette.GetColor(s) });
                bottom += value;
            }
        }
        plot.Add.Bars(items);
        plot.ShowLegend(series.Select((s, i) => new LegendItem { LabelText = s.Name, FillColor = palette.GetColor(i) }), Alignment.UpperRight);
        if (bars.Count <= 30) plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.ToArray());
        return Html(plot);
    }

    /// <summary>A histogram of values in [low, high] with equal bins.</summary>
    public static string Histogram(string title, string x, IReadOnlyList<double> values, double low, double high, int bins = 40)
    {
        var plot = New(title, x, "entries");
        var counts = new double[bins];
        foreach (var v in values) counts[Math.Clamp((int)((v - low) / (high - low) * bins), 0, bins - 1)]++;
        var width = (high - low) / bins;
        var colour = new ScottPlot.Palettes.Category10().GetColor(0);
        plot.Add.Bars(Enumerable.Range(0, bins).Select(b => new Bar { Position = low + (b + 0.5) * width, Value = counts[b], Size = width * 0.95, FillColor = colour }).ToList());
        return Html(plot);
    }
}
