using System.Globalization;
using Dsl.Runtime.Data;

namespace Dsl.Cli.Report;

/// <summary>A CSV the tool wrote (header row, first column of names), read back for the report: names and raw fields.</summary>
public sealed record OutputTable(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows, IReadOnlyList<string[]> Fields)
{
    public static OutputTable Read(string path)
    {
        var lines = TextSource.Lines(path).Select(l => DelimitedLine.Split(l.Text, ',')).ToList();
        if (lines.Count == 0) throw new CliException($"{path}: empty; rerun the fit to write it again");
        return new OutputTable(lines[0].Skip(1).ToList(), lines.Skip(1).Select(l => l[0]).ToList(), lines.Skip(1).Select(l => l.Skip(1).ToArray()).ToList());
    }

    public int Column(string name)
    {
        var index = Columns.ToList().IndexOf(name);
        return index >= 0 ? index : throw new CliException($"no column '{name}' in an output table; rerun the fit to write it again");
    }

    public double Number(int row, int column) => double.Parse(Fields[row][column], CultureInfo.InvariantCulture);

    public double[] NumbersOf(int column) => Enumerable.Range(0, Rows.Count).Select(r => Number(r, column)).ToArray();

    public double[,] Matrix()
    {
        var values = new double[Rows.Count, Columns.Count];
        for (var r = 0; r < Rows.Count; r++)
            for (var c = 0; c < Columns.Count; c++) values[r, c] = Number(r, c);
        return values;
    }
}
