using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Dense matrix product C += A·B on packed panels with a 6 x (2 vectors) register-blocked FMA micro-kernel (the
/// GotoBLAS / BLIS layout). A and B are strided views, so the backward passes' Aᵀ·B and A·Bᵀ cost no copies.
/// Work is split over disjoint tiles of C; every element is accumulated in the same order whatever the split,
/// so results are bit-identical for any thread count.
/// </summary>
public static class Gemm
{
    private const int TileRows = 6;
    private const int DepthBlock = 256;
    private const int RowBlock = 16 * TileRows;
    // Below this many multiply-adds a second thread costs more to start than it saves.
    private const long ParallelThreshold = 1 << 20;

    [ThreadStatic] private static object? packedA;
    [ThreadStatic] private static object? packedB;

    /// <summary>C = A·B (or C += A·B) where C is row-major with leading dimension <paramref name="ldc"/>.</summary>
    public static void Multiply<T>(MatrixView<T> a, MatrixView<T> b, T[] c, int cOffset, int ldc, bool accumulate, int threads = 1)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (a.Columns != b.Rows) throw new ArgumentException($"cannot multiply {a.Rows}x{a.Columns} by {b.Rows}x{b.Columns}");
        int m = a.Rows, n = b.Columns, k = a.Columns;
        if (!accumulate)
            for (var i = 0; i < m; i++) c.AsSpan(cOffset + i * ldc, n).Clear();
        if (m == 0 || n == 0 || k == 0) return;

        var panelWidth = 2 * Vector256<T>.Count;
        var panels = (n + panelWidth - 1) / panelWidth;
        var tiles = (m + TileRows - 1) / TileRows;
        var workers = (long)m * n * k < ParallelThreshold ? 1 : Math.Max(1, Math.Min(threads, Math.Max(panels, tiles)));
        if (workers == 1)
        {
            Run(a, b, c, cOffset, ldc, 0, tiles, 0, panels);
            return;
        }
        // Split the longer side of C's tile grid; each worker owns a disjoint block of C.
        var splitColumns = panels >= tiles;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var total = splitColumns ? panels : tiles;
            int start = (int)((long)total * w / workers), end = (int)((long)total * (w + 1) / workers);
            if (splitColumns) Run(a, b, c, cOffset, ldc, 0, tiles, start, end);
            else Run(a, b, c, cOffset, ldc, start, end, 0, panels);
        });
    }

    private static void Run<T>(MatrixView<T> a, MatrixView<T> b, T[] c, int cOffset, int ldc, int tileStart, int tileEnd, int panelStart, int panelEnd)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var panelWidth = 2 * Vector256<T>.Count;
        int m = a.Rows, n = b.Columns, k = a.Columns;
        var bufferA = Buffer<T>(ref packedA, RowBlock * DepthBlock);
        var bufferB = Buffer<T>(ref packedB, (panelEnd - panelStart) * panelWidth * DepthBlock);
        for (var p0 = 0; p0 < k; p0 += DepthBlock)
        {
            var depth = Math.Min(DepthBlock, k - p0);
            PackB(b, p0, depth, panelStart, panelEnd, bufferB);
            // A row-major A is read in place by the kernel, six rows at a time (each row is contiguous along the depth);
            // other views, and a last tile of fewer than six rows, are packed first.
            var inPlace = a.ColumnStride == 1;
            for (var t0 = tileStart; t0 < tileEnd; t0 += RowBlock / TileRows)
            {
                var t1 = Math.Min(tileEnd, t0 + RowBlock / TileRows);
                if (!inPlace) PackA(a, p0, depth, t0, t1, bufferA);
                else if (t1 * TileRows > m) PackA(a, p0, depth, t1 - 1, t1, bufferA);
                for (var panel = panelStart; panel < panelEnd; panel++)
                {
                    ref var bPanel = ref bufferB[(panel - panelStart) * depth * panelWidth];
                    var column = panel * panelWidth;
                    for (var tile = t0; tile < t1; tile++)
                    {
                        var row = tile * TileRows;
                        var (rows, columns) = (Math.Min(TileRows, m - row), Math.Min(panelWidth, n - column));
                        var cIndex = cOffset + row * ldc + column;
                        if (!inPlace)
                            Kernel(depth, ref bufferA[(tile - t0) * depth * TileRows], 1, TileRows, ref bPanel, c, cIndex, ldc, rows, columns);
                        else if (rows < TileRows)
                            Kernel(depth, ref bufferA[0], 1, TileRows, ref bPanel, c, cIndex, ldc, rows, columns);
                        else
                            Kernel(depth, ref a.Data[a.Offset + row * a.RowStride + p0], a.RowStride, 1, ref bPanel, c, cIndex, ldc, rows, columns);
                    }
                }
            }
        }
    }

    private static T[] Buffer<T>(ref object? slot, int length)
    {
        if (slot is T[] existing && existing.Length >= length) return existing;
        var created = new T[length];
        slot = created;
        return created;
    }

    /// <summary>
    /// A's rows [t0·6, t1·6) and depth [p0, p0+depth) as tiles of 6 rows, depth-major, zero-padded. A whole tile is
    /// copied along whichever direction is contiguous (a row-major A row by row; a transposed view, whose six rows of a
    /// depth step are adjacent, step by step); only a last, partial tile is padded entry by entry.
    /// </summary>
    private static void PackA<T>(MatrixView<T> a, int p0, int depth, int t0, int t1, T[] packed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var tile = t0; tile < t1; tile++)
        {
            var start = (tile - t0) * depth * TileRows;
            var row0 = tile * TileRows;
            if (row0 + TileRows > a.Rows)
            {
                for (var p = 0; p < depth; p++)
                for (var r = 0; r < TileRows; r++)
                    packed[start + p * TileRows + r] = row0 + r < a.Rows ? a[row0 + r, p0 + p] : T.Zero;
                continue;
            }
            // Bounds: the tile's rows and the depth block lie inside the view, and the packed block inside the buffer.
            if ((uint)(start + depth * TileRows) > (uint)packed.Length) throw new ArgumentException("packed buffer too small", nameof(packed));
            ref var source = ref a.Data[a.Offset + p0 * a.ColumnStride + row0 * a.RowStride];
            ref var target = ref packed[start];
            if (a.RowStride == 1)
            {
                // A transposed view: a depth step's six rows are adjacent, so copy them step by step.
                for (var p = 0; p < depth; p++)
                {
                    ref var step = ref Unsafe.Add(ref source, p * a.ColumnStride);
                    ref var into = ref Unsafe.Add(ref target, p * TileRows);
                    for (var r = 0; r < TileRows; r++) Unsafe.Add(ref into, r) = Unsafe.Add(ref step, r);
                }
                continue;
            }
            for (var r = 0; r < TileRows; r++)
            {
                ref var row = ref Unsafe.Add(ref source, r * a.RowStride);
                ref var column = ref Unsafe.Add(ref target, r);
                for (var p = 0; p < depth; p++) Unsafe.Add(ref column, p * TileRows) = Unsafe.Add(ref row, p * a.ColumnStride);
            }
        }
    }

    /// <summary>B's depth [p0, p0+depth) by column panels [panelStart, panelEnd), each depth-major, zero-padded.</summary>
    private static void PackB<T>(MatrixView<T> b, int p0, int depth, int panelStart, int panelEnd, T[] packed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var width = 2 * Vector256<T>.Count;
        for (var panel = panelStart; panel < panelEnd; panel++)
        {
            var column0 = panel * width;
            var start = (panel - panelStart) * depth * width;
            if (column0 + width > b.Columns)
            {
                for (var p = 0; p < depth; p++)
                for (var j = 0; j < width; j++)
                    packed[start + p * width + j] = column0 + j < b.Columns ? b[p0 + p, column0 + j] : T.Zero;
                continue;
            }
            if (b.ColumnStride == 1)
            {
                for (var p = 0; p < depth; p++) b.Data.AsSpan(b.Offset + (p0 + p) * b.RowStride + column0, width).CopyTo(packed.AsSpan(start + p * width, width));
                continue;
            }
            // A transposed view: each of the panel's columns is read along its own stride.
            // Bounds: the panel's columns and the depth block lie inside the view, and the packed block inside the buffer.
            if ((uint)(start + depth * width) > (uint)packed.Length) throw new ArgumentException("packed buffer too small", nameof(packed));
            ref var source = ref b.Data[b.Offset + p0 * b.RowStride + column0 * b.ColumnStride];
            ref var target = ref packed[start];
            for (var j = 0; j < width; j++)
            {
                ref var column = ref Unsafe.Add(ref source, j * b.ColumnStride);
                ref var lane = ref Unsafe.Add(ref target, j);
                for (var p = 0; p < depth; p++) Unsafe.Add(ref lane, p * width) = Unsafe.Add(ref column, p * b.RowStride);
            }
        }
    }

    /// <summary>
    /// A 6 x (2 vectors) tile of C += A·B over <paramref name="depth"/> steps. Row r of A's tile at step p is
    /// a[r * rowStride + p * step]: packed tiles have (1, 6), a row-major A read in place (its leading dimension, 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<T>(int depth, ref T a, int rowStride, int step, ref T b, T[] c, int cIndex, int ldc, int rows, int columns)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        nint r1 = rowStride, r2 = 2 * r1, r3 = 3 * r1, r4 = 4 * r1, r5 = 5 * r1;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < depth; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, (nuint)w);
            var x = Vector256.Create(a);
            c00 = SimdMath.MultiplyAdd(x, b0, c00); c01 = SimdMath.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a, r1));
            c10 = SimdMath.MultiplyAdd(x, b0, c10); c11 = SimdMath.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a, r2));
            c20 = SimdMath.MultiplyAdd(x, b0, c20); c21 = SimdMath.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a, r3));
            c30 = SimdMath.MultiplyAdd(x, b0, c30); c31 = SimdMath.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref a, r4));
            c40 = SimdMath.MultiplyAdd(x, b0, c40); c41 = SimdMath.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref a, r5));
            c50 = SimdMath.MultiplyAdd(x, b0, c50); c51 = SimdMath.MultiplyAdd(x, b1, c51);
            a = ref Unsafe.Add(ref a, step);
            b = ref Unsafe.Add(ref b, 2 * w);
        }
        if (rows == TileRows && columns == 2 * w)
        {
            ref var target = ref c[cIndex];
            AddRow(ref target, 0, ldc, c00, c01);
            AddRow(ref target, 1, ldc, c10, c11);
            AddRow(ref target, 2, ldc, c20, c21);
            AddRow(ref target, 3, ldc, c30, c31);
            AddRow(ref target, 4, ldc, c40, c41);
            AddRow(ref target, 5, ldc, c50, c51);
            return;
        }
        // An edge tile: spill the accumulators and add only the part inside C.
        Span<T> tile = stackalloc T[TileRows * 2 * Vector256<T>.Count];
        Spill(tile, 0, c00, c01);
        Spill(tile, 1, c10, c11);
        Spill(tile, 2, c20, c21);
        Spill(tile, 3, c30, c31);
        Spill(tile, 4, c40, c41);
        Spill(tile, 5, c50, c51);
        for (var r = 0; r < rows; r++)
        for (var j = 0; j < columns; j++)
            c[cIndex + r * ldc + j] += tile[r * 2 * w + j];
    }

    private static void Spill<T>(Span<T> tile, int row, Vector256<T> left, Vector256<T> right)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        left.CopyTo(tile.Slice(row * 2 * w, w));
        right.CopyTo(tile.Slice(row * 2 * w + w, w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow<T>(ref T origin, int row, int ldc, Vector256<T> left, Vector256<T> right)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var offset = (nuint)(row * ldc);
        var w = (nuint)Vector256<T>.Count;
        (Vector256.LoadUnsafe(ref origin, offset) + left).StoreUnsafe(ref origin, offset);
        (Vector256.LoadUnsafe(ref origin, offset + w) + right).StoreUnsafe(ref origin, offset + w);
    }
}
