namespace Dsl.Runtime.Neural;

/// <summary>
/// A read-only rows x columns window on an array with arbitrary strides, so a transpose is a view rather than a copy.
/// </summary>
public readonly record struct MatrixView<T>(T[] Data, int Offset, int Rows, int Columns, int RowStride, int ColumnStride)
{
    /// <summary>A dense row-major matrix.</summary>
    public static MatrixView<T> RowMajor(T[] data, int rows, int columns) => new(data, 0, rows, columns, columns, 1);

    public MatrixView<T> Transposed() => new(Data, Offset, Columns, Rows, ColumnStride, RowStride);

    /// <summary>The rows from <paramref name="start"/>, <paramref name="count"/> of them: a block of a matrix product's rows.</summary>
    public MatrixView<T> RowBlock(int start, int count) => new(Data, Offset + start * RowStride, count, Columns, RowStride, ColumnStride);

    public T this[int row, int column] => Data[Offset + row * RowStride + column * ColumnStride];
}
