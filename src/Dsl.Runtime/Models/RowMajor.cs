using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dsl.Runtime.Models;

/// <summary>Copies between flat row-major doubles and the generated storage's rectangular arrays, of any rank.</summary>
public static class RowMajor
{
    public static void CopyTo(ReadOnlySpan<double> values, Array target)
    {
        if (values.Length != target.Length) throw new ArgumentException($"{values.Length} values for an array of {target.Length}");
        switch (target)
        {
            case double[] flat: values.CopyTo(flat); break;
            default:
                if (target.GetType().GetElementType() == typeof(double)) values.CopyTo(Elements<double>(target));
                else if (target.GetType().GetElementType() == typeof(int))
                {
                    var ints = Elements<int>(target);
                    for (var n = 0; n < ints.Length; n++) ints[n] = checked((int)values[n]);
                }
                else throw new ArgumentException($"no row-major copy into {target.GetType().Name}");
                break;
        }
    }

    public static void CopyFrom(Array source, Span<double> destination)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"{source.Length} values for a destination of {destination.Length}");
        if (source.GetType().GetElementType() == typeof(double)) Elements<double>(source).CopyTo(destination);
        else if (source.GetType().GetElementType() == typeof(int))
        {
            var ints = Elements<int>(source);
            for (var n = 0; n < ints.Length; n++) destination[n] = ints[n];
        }
        else throw new ArgumentException($"no row-major copy from {source.GetType().Name}");
    }

    /// <summary>A rows x columns matrix from row-major values.</summary>
    public static double[,] ToMatrix(ReadOnlySpan<double> values, int rows, int columns)
    {
        var matrix = new double[rows, columns];
        CopyTo(values, matrix);
        return matrix;
    }

    public static void Fill(Array target, double value)
    {
        if (target.GetType().GetElementType() != typeof(double)) throw new ArgumentException($"no fill of {target.GetType().Name}");
        Elements<double>(target).Fill(value);
    }

    /// <summary>A rows x columns count matrix from its row-major entries, keeping the non-zeros only.</summary>
    public static Data.CountMatrix ToCountMatrix(ReadOnlySpan<double> values, int rows, int columns)
    {
        if (values.Length != (long)rows * columns) throw new ArgumentException($"{values.Length} values for a {rows} x {columns} matrix");
        var builder = new Data.CsrBuilder(rows, columns, 0);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                if (values[r * columns + c] != 0) builder.Add(r, c, values[r * columns + c]);
        return builder.Build(Numbered("row", rows), Numbered("column", columns));
    }

    /// <summary>A rows x columns count matrix with no entries (all zero).</summary>
    public static Data.CountMatrix EmptyCounts(int rows, int columns) => new Data.CsrBuilder(rows, columns, 0).Build(Numbered("row", rows), Numbered("column", columns));

    /// <summary>A dense integer matrix as the sparse count storage of an observed node (rows over its first plate).</summary>
    public static Data.CountMatrix ToCountMatrix(int[,] values)
    {
        var (rows, columns) = (values.GetLength(0), values.GetLength(1));
        var builder = new Data.CsrBuilder(rows, columns, 0);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                if (values[r, c] != 0) builder.Add(r, c, values[r, c]);
        return builder.Build(Numbered("row", rows), Numbered("column", columns));
    }

    public static void CopyFrom(Data.CountMatrix source, Span<double> destination)
    {
        if (destination.Length != (long)source.Cells * source.Genes) throw new ArgumentException($"a {source.Cells} x {source.Genes} matrix for a destination of {destination.Length}");
        for (var r = 0; r < source.Cells; r++) source.Densify(r, destination.Slice(r * source.Genes, source.Genes));
    }

    private static string[] Numbered(string prefix, int count) => Enumerable.Range(1, count).Select(n => prefix + n).ToArray();

    /// <summary>The elements of a rectangular array of doubles as one row-major span, without a copy.</summary>
    public static Span<double> Flat(Array array) =>
        array.GetType().GetElementType() == typeof(double) ? Elements<double>(array) : throw new ArgumentException($"no row-major view of {array.GetType().Name}");

    private static Span<T> Elements<T>(Array array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);
}
