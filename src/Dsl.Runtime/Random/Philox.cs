using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dsl.Runtime.Random;

/// <summary>
/// Philox4x32-10 (Salmon, Moraes, Dror &amp; Shaw, SC'11): a counter-based generator whose output is a pure function
/// of a 128-bit counter and a 64-bit key, so any draw can be computed without the ones before it. The counter holds
/// (block low, block high, stream low, stream high) and the key is the seed.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>One block: four 32-bit outputs for counter (c0, c1, c2, c3) under key (k0, k1).</summary>
    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// Eight consecutive blocks (block counters <paramref name="block"/> .. +7 of one stream) into 32 words, in the
    /// same order as eight calls of <see cref="Block"/> would write them. AVX2: each word of the eight blocks is one
    /// vector, and the 32x32->64 products are done on even and odd lanes separately.
    /// </summary>
    public static void Blocks8(ulong block, ulong stream, uint k0, uint k1, Span<uint> destination)
    {
        if (destination.Length < 32) throw new ArgumentException("needs room for 32 words", nameof(destination));
        if (!Avx2.IsSupported)
        {
            for (var b = 0; b < 8; b++)
            {
                var counter = block + (ulong)b;
                var (x0, x1, x2, x3) = Block((uint)counter, (uint)(counter >> 32), (uint)stream, (uint)(stream >> 32), k0, k1);
                destination[4 * b] = x0;
                destination[4 * b + 1] = x1;
                destination[4 * b + 2] = x2;
                destination[4 * b + 3] = x3;
            }
            return;
        }

        var (w0, w1, w2, w3) = Rounds8(block, stream, k0, k1);
        var (b01, b23, b45, b67) = Transpose(w0, w1, w2, w3);
        b01.CopyTo(destination);
        b23.CopyTo(destination[8..]);
        b45.CopyTo(destination[16..]);
        b67.CopyTo(destination[24..]);
    }

    /// <summary>Uniforms per <see cref="Doubles64"/> call.</summary>
    public const int DoublesPerCall = 64;

    /// <summary>Words per <see cref="Words128"/> call.</summary>
    public const int WordsPerCall = 128;

    /// <summary>Sixty-four uniforms on (0, 1) from thirty-two consecutive blocks, each from two words in block order.</summary>
    public static void Doubles64(ulong block, ulong stream, uint k0, uint k1, Span<double> destination)
    {
        if (destination.Length < DoublesPerCall) throw new ArgumentException($"needs room for {DoublesPerCall} doubles", nameof(destination));
        var writer = new DoubleWriter(destination);
        Blocks32(block, stream, k0, k1, ref writer);
    }

    /// <summary>The 128 words of thirty-two consecutive blocks, in the order <see cref="Block"/> would give them.</summary>
    public static void Words128(ulong block, ulong stream, uint k0, uint k1, Span<uint> destination)
    {
        if (destination.Length < WordsPerCall) throw new ArgumentException($"needs room for {WordsPerCall} words", nameof(destination));
        var writer = new WordWriter(destination);
        Blocks32(block, stream, k0, k1, ref writer);
    }

    /// <summary>Receives eight blocks at a time, already in block order (two blocks per vector).</summary>
    private interface IBlockWriter
    {
        void Write(int group, Vector256<uint> b01, Vector256<uint> b23, Vector256<uint> b45, Vector256<uint> b67);
    }

    private readonly ref struct DoubleWriter(Span<double> destination) : IBlockWriter
    {
        private readonly Span<double> destination = destination;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(int group, Vector256<uint> b01, Vector256<uint> b23, Vector256<uint> b45, Vector256<uint> b67)
        {
            var target = destination[(16 * group)..];
            RandomStream.ToOpenUnitDouble(b01.AsUInt64()).CopyTo(target);
            RandomStream.ToOpenUnitDouble(b23.AsUInt64()).CopyTo(target[4..]);
            RandomStream.ToOpenUnitDouble(b45.AsUInt64()).CopyTo(target[8..]);
            RandomStream.ToOpenUnitDouble(b67.AsUInt64()).CopyTo(target[12..]);
        }
    }

    private readonly ref struct WordWriter(Span<uint> destination) : IBlockWriter
    {
        private readonly Span<uint> destination = destination;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(int group, Vector256<uint> b01, Vector256<uint> b23, Vector256<uint> b45, Vector256<uint> b67)
        {
            var target = destination[(32 * group)..];
            b01.CopyTo(target);
            b23.CopyTo(target[8..]);
            b45.CopyTo(target[16..]);
            b67.CopyTo(target[24..]);
        }
    }

    /// <summary>
    /// Thirty-two blocks as four independent eight-block chains, interleaved, since one chain is bound by the latency
    /// of its ten dependent rounds rather than by throughput (measured here: one chain 0.5, two 0.83, three 1.0, four
    /// 1.17 G doubles/s; with only 16 vector registers four chains would spill). The writer is a struct type argument,
    /// so each output form gets its own specialised copy with nothing left of the indirection.
    /// </summary>
    private static void Blocks32<TWriter>(ulong block, ulong stream, uint k0, uint k1, ref TWriter writer)
        where TWriter : IBlockWriter, allows ref struct
    {
        var (a0, a1, a2, a3) = Counters8(block, stream);
        var (b0, b1, b2, b3) = Counters8(block + 8, stream);
        var (c0, c1, c2, c3) = Counters8(block + 16, stream);
        var (d0, d1, d2, d3) = Counters8(block + 24, stream);
        var m0 = Vector256.Create(M0);
        var m1 = Vector256.Create(M1);
        var key0 = Vector256.Create(k0);
        var key1 = Vector256.Create(k1);
        var bump0 = Vector256.Create(W0);
        var bump1 = Vector256.Create(W1);
        for (var round = 0; round < 10; round++)
        {
            var (ahi0, alo0) = MulHiLo(a0, m0);
            var (bhi0, blo0) = MulHiLo(b0, m0);
            var (chi0, clo0) = MulHiLo(c0, m0);
            var (dhi0, dlo0) = MulHiLo(d0, m0);
            var (ahi1, alo1) = MulHiLo(a2, m1);
            var (bhi1, blo1) = MulHiLo(b2, m1);
            var (chi1, clo1) = MulHiLo(c2, m1);
            var (dhi1, dlo1) = MulHiLo(d2, m1);
            (a0, a1, a2, a3) = (ahi1 ^ a1 ^ key0, alo1, ahi0 ^ a3 ^ key1, alo0);
            (b0, b1, b2, b3) = (bhi1 ^ b1 ^ key0, blo1, bhi0 ^ b3 ^ key1, blo0);
            (c0, c1, c2, c3) = (chi1 ^ c1 ^ key0, clo1, chi0 ^ c3 ^ key1, clo0);
            (d0, d1, d2, d3) = (dhi1 ^ d1 ^ key0, dlo1, dhi0 ^ d3 ^ key1, dlo0);
            key0 += bump0;
            key1 += bump1;
        }
        Write(ref writer, 0, a0, a1, a2, a3);
        Write(ref writer, 1, b0, b1, b2, b3);
        Write(ref writer, 2, c0, c1, c2, c3);
        Write(ref writer, 3, d0, d1, d2, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<TWriter>(ref TWriter writer, int group, Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3)
        where TWriter : IBlockWriter, allows ref struct
    {
        var (b01, b23, b45, b67) = Transpose(w0, w1, w2, w3);
        writer.Write(group, b01, b23, b45, b67);
    }

    /// <summary>The four counter words of eight consecutive blocks, one vector per word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Counters8(ulong block, ulong stream)
    {
        var lanes = Vector256.Create(0UL, 1, 2, 3);
        var low = Vector256.Create(block) + lanes;
        var high = Vector256.Create(block) + lanes + Vector256.Create(4UL);
        return (Narrow(low, high, 0), Narrow(low, high, 32), Vector256.Create((uint)stream), Vector256.Create((uint)(stream >> 32)));
    }

    /// <summary>Ten rounds for eight blocks; word j of the eight blocks is vector j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Rounds8(ulong block, ulong stream, uint k0, uint k1)
    {
        // c0/c1: low and high halves of each block's 64-bit counter, eight lanes; the carry is exact per lane.
        var (c0, c1, c2, c3) = Counters8(block, stream);
        var m0 = Vector256.Create(M0);
        var m1 = Vector256.Create(M1);
        for (var round = 0; round < 10; round++)
        {
            var (hi0, lo0) = MulHiLo(c0, m0);
            var (hi1, lo1) = MulHiLo(c2, m1);
            var n0 = hi1 ^ c1 ^ Vector256.Create(k0);
            var n2 = hi0 ^ c3 ^ Vector256.Create(k1);
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>32-bit halves of eight 64-bit counters held in two vectors, in lane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Narrow(Vector256<ulong> first, Vector256<ulong> second, int shift)
    {
        var evenDwords = Vector256.Create(0u, 2, 4, 6, 0, 2, 4, 6);
        var a = Avx2.PermuteVar8x32((first >>> shift).AsUInt32(), evenDwords);
        var b = Avx2.PermuteVar8x32((second >>> shift).AsUInt32(), evenDwords);
        return Avx2.Permute2x128(a, b, 0x20);
    }

    /// <summary>Full 32x32->64 products of eight lanes: the high and low words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint> Hi, Vector256<uint> Lo) MulHiLo(Vector256<uint> x, Vector256<uint> m)
    {
        // The low words are the 32-bit products (vpmulld); the high words come from the 64-bit products of the even
        // lanes and of the odd lanes shifted down, whose high halves already sit in odd positions.
        var even = Avx2.Multiply(x, m);
        var odd = Avx2.Multiply(Avx2.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), m);
        var hi = Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsUInt32(), odd.AsUInt32(), 0b10101010);
        return (hi, Avx2.MultiplyLow(x, m));
    }

    /// <summary>Transposes word vectors (w0 of 8 blocks, w1 of 8 blocks, ...) into pairs of blocks in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<uint>, Vector256<uint>, Vector256<uint>, Vector256<uint>) Transpose(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3)
    {
        var t0 = Avx2.UnpackLow(w0, w1);   // b0w0 b0w1 b1w0 b1w1 | b4w0 b4w1 b5w0 b5w1
        var t1 = Avx2.UnpackHigh(w0, w1);  // b2w0 b2w1 b3w0 b3w1 | b6.. b7..
        var t2 = Avx2.UnpackLow(w2, w3);
        var t3 = Avx2.UnpackHigh(w2, w3);
        var r0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();  // b0 | b4
        var r1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32(); // b1 | b5
        var r2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();  // b2 | b6
        var r3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32(); // b3 | b7
        return (Avx2.Permute2x128(r0, r1, 0x20), Avx2.Permute2x128(r2, r3, 0x20), Avx2.Permute2x128(r0, r1, 0x31), Avx2.Permute2x128(r2, r3, 0x31));
    }
}
