using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Dsl.Cli.Progress;

/// <summary>How a long command shows its progress on standard error.</summary>
public enum ProgressMode
{
    /// <summary>A terminal: one line redrawn in place, with a bar, the ETA and the current objective.</summary>
    Live,

    /// <summary>Redirected output (a log, a pipe): plain newline-terminated lines, at the start, every 5 % and at the end.</summary>
    Lines,

    /// <summary>--json: one JSON object per step, for pipelines.</summary>
    Json,

    /// <summary>--quiet: nothing.</summary>
    Quiet,
}

/// <summary>
/// The progress of one long task (epochs, EM iterations): steps out of a total, the time per step, an ETA from the
/// mean step so far, and the task's own detail (the objective). Live redraws one line with a carriage return and
/// ends it on dispose; every other mode writes whole lines only, so a log never holds a carriage return or an escape code.
/// </summary>
public sealed class ProgressLine(ProgressMode mode, TextWriter error, string task, int total) : IDisposable
{
    private const int BarWidth = 24;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int lastShownTwentieth = -1;
    private int first = -1;
    private int lastStep;
    private bool drawn;

    /// <param name="step">the step just finished, 1-based (after a resume the first may be above 1)</param>
    /// <param name="detail">what the step produced, e.g. "ELBO per cell train -812.4, validation -820.1"</param>
    /// <param name="objective">the same as a number for --json (null: none)</param>
    public void Report(int step, string detail, double? objective = null)
    {
        // A step at or below the last one starts the task again (the next of several fits): so does the ETA.
        if (first < 0 || step <= lastStep)
        {
            first = step - 1;
            clock.Restart();
            lastShownTwentieth = -1;
        }
        lastStep = step;
        var fraction = total <= 0 ? 1 : Math.Clamp((double)step / total, 0, 1);
        var done = step - first;
        var eta = done <= 0 ? (double?)null : clock.Elapsed.TotalSeconds / done * (total - step);
        switch (mode)
        {
            case ProgressMode.Quiet:
                return;
            case ProgressMode.Json:
                error.WriteLine(JsonSerializer.Serialize(new
                {
                    @event = "progress", task, step, total, fraction = Math.Round(fraction, 4), elapsed_s = Math.Round(clock.Elapsed.TotalSeconds, 3),
                    eta_s = eta is { } e ? Math.Round(e, 1) : (double?)null, objective = objective is { } o && double.IsFinite(o) ? o : (double?)null, detail,
                }));
                return;
            case ProgressMode.Lines:
                var twentieth = (int)(fraction * 20);
                if (twentieth == lastShownTwentieth && step != total) return;
                lastShownTwentieth = twentieth;
                error.WriteLine($"{task} {step}/{total} ({fraction * 100:F0} %): {detail}{Eta(eta)}");
                return;
            default:
                var filled = (int)Math.Round(fraction * BarWidth);
                error.Write($"\r{task} {step}/{total} [{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction * 100,3:F0} % {detail}{Eta(eta)}\u001b[K");
                drawn = true;
                return;
        }
    }

    /// <summary>A fit's step (<see cref="Runtime.Models.FitProgress"/>): its number, what it produced, its objective.</summary>
    public void Report(Runtime.Models.FitProgress progress) => Report(progress.Done, progress.Detail, progress.Objective);

    /// <summary>A note during the task (a NaN restart, a warning): on its own line, whatever the mode but quiet.</summary>
    public void Note(string text)
    {
        if (mode == ProgressMode.Quiet) return;
        if (drawn) { error.WriteLine(); drawn = false; }
        error.WriteLine(mode == ProgressMode.Json ? JsonSerializer.Serialize(new { @event = "note", task, text }) : text);
    }

    public void Dispose()
    {
        if (drawn) error.WriteLine();
        drawn = false;
    }

    private static string Eta(double? seconds) => seconds switch
    {
        null or <= 0 => "",
        < 90 => string.Create(CultureInfo.InvariantCulture, $", ETA {seconds:F0} s"),
        < 5400 => string.Create(CultureInfo.InvariantCulture, $", ETA {seconds / 60:F1} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $", ETA {seconds / 3600:F1} h"),
    };
}
