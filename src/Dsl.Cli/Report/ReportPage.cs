using System.Net;
using System.Text;
using System.Text.Json;
using Dsl.Runtime.Data;
using Dsl.Runtime.Graph;

namespace Dsl.Cli.Report;

/// <summary>
/// One self-contained HTML page (inline CSS, PNG plots as data URIs, the plate diagram as inline SVG): it opens from
/// disk in any browser without a network. Sections are added in reading order; the page is written atomically.
/// </summary>
public sealed class ReportPage(string title)
{
    private readonly StringBuilder body = new();

    public void Section(string heading, string? text = null)
    {
        body.Append("<h2>").Append(WebUtility.HtmlEncode(heading)).Append("</h2>\n");
        if (text is not null) Paragraph(text);
    }

    public void Paragraph(string text) => body.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>\n");

    /// <summary>A figure: an &lt;img&gt; from <see cref="Charts"/> (or inline SVG) with its caption.</summary>
    public void Figure(string html, string caption) =>
        body.Append("<figure>").Append(html).Append("<figcaption>").Append(WebUtility.HtmlEncode(caption)).Append("</figcaption></figure>\n");

    public void PlateDiagram(ModelGraph graph) => Figure(SvgGraphRenderer.Render(graph), $"Plate diagram of {graph.Name}, from its declaration.");

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        body.Append("<table><tr>");
        foreach (var h in header) body.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        body.Append("</tr>\n");
        foreach (var row in rows)
        {
            body.Append("<tr>");
            foreach (var cell in row) body.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            body.Append("</tr>\n");
        }
        body.Append("</table>\n");
    }

    /// <summary>A JSON object's scalar members as a two-column table (nested objects flattened as a.b).</summary>
    public void Settings(JsonElement summary) => Table(["setting", "value"], Flatten(summary, ""));

    public void Write(string path)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>")
            .Append("body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1100px;margin:2em auto;color:#222}")
            .Append("h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}")
            .Append("figure{margin:1em 0}figcaption{color:#555;font-size:.9em}img.plot{border:1px solid #eee}")
            .Append("table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}")
            .Append("</style></head><body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n")
            .Append(body).Append("</body></html>\n");
        AtomicFile.WriteText(path, page.ToString());
    }

    private static IEnumerable<IReadOnlyList<string>> Flatten(JsonElement element, string prefix)
    {
        foreach (var member in element.EnumerateObject())
        {
            var name = prefix + member.Name;
            if (member.Value.ValueKind == JsonValueKind.Object)
                foreach (var row in Flatten(member.Value, name + ".")) yield return row;
            else
                yield return [name, member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : member.Value.GetRawText()];
        }
    }
}
