using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dsl.Runtime.Random;

/// <summary>
/// One stream of random numbers: draw number i of stream s under seed k is a pure function of (k, s, i), so work
/// split across threads by cell or sample (one stream each) gives the same results for any thread count. Buffers
/// eight Philox blocks (32 words) at a time. A mutable struct: pass it by ref.
/// </summary>
public struct RandomStream
{
    private readonly uint key0, key1;
    private readonly ulong stream;
    private ulong nextBlock;
    private Words buffer;
    private int position;
    private Doubles doubles;
    private int doublePosition;

    [InlineArray(32)]
    private struct Words
    {
        private uint element;
    }

    [InlineArray(Philox.DoublesPerCall)]
    private struct Doubles
    {
        private double element;
    }

    public RandomStream(ulong seed, ulong stream, ulong startBlock = 0)
    {
        key0 = (uint)seed;
        key1 = (uint)(seed >> 32);
        this.stream = stream;
        nextBlock = startBlock;
        position = 32;
        doublePosition = Philox.DoublesPerCall;
    }

    public uint NextUInt32()
    {
        if (position == 32) Refill();
        return buffer[position++];
    }

    public ulong NextUInt64() => NextUInt32() | ((ulong)NextUInt32() << 32);

    /// <summary>
    /// Uniform on the open interval (0, 1) with 52 random bits: never 0, so log(u) is always finite. Doubles come
    /// from their own buffer, refilled sixteen blocks at a time; words (<see cref="NextUInt32"/>) from another.
    /// Both advance one block counter, so every value is still a function of (seed, stream, position).
    /// </summary>
    public double NextDouble()
    {
        if (doublePosition == Philox.DoublesPerCall) RefillDoubles();
        return doubles[doublePosition++];
    }

    /// <summary>Uniform on (0, 1) with 23 random bits.</summary>
    public float NextFloat() => ToOpenUnitFloat(NextUInt32());

    /// <summary>Standard normal by Box-Muller; each call uses two uniforms.</summary>
    public double NextNormal()
    {
        var radius = Math.Sqrt(-2.0 * Math.Log(NextDouble()));
        return radius * Math.Cos(2.0 * Math.PI * NextDouble());
    }

    public double NextExponential() => -Math.Log(NextDouble());

    /// <summary>Fills with uniforms on (0, 1); the same values as repeated <see cref="NextDouble"/>.</summary>
    public void FillUniform(Span<double> destination)
    {
        var i = 0;
        // Drain the buffer; then whole refills go straight into the destination.
        while (i < destination.Length && doublePosition != Philox.DoublesPerCall) destination[i++] = NextDouble();
        while (System.Runtime.Intrinsics.X86.Avx2.IsSupported && destination.Length - i >= Philox.DoublesPerCall)
        {
            Philox.Doubles64(nextBlock, stream, key0, key1, destination[i..]);
            nextBlock += Philox.DoublesPerCall / 2;
            i += Philox.DoublesPerCall;
        }
        while (i < destination.Length) destination[i++] = NextDouble();
    }

    /// <summary>Fills with random words; the same values as repeated <see cref="NextUInt32"/>.</summary>
    public void FillWords(Span<uint> destination)
    {
        var i = 0;
        while (i < destination.Length && position != 32) destination[i++] = NextUInt32();
        while (System.Runtime.Intrinsics.X86.Avx2.IsSupported && destination.Length - i >= Philox.WordsPerCall)
        {
            Philox.Words128(nextBlock, stream, key0, key1, destination[i..]);
            nextBlock += Philox.WordsPerCall / 4;
            i += Philox.WordsPerCall;
        }
        while (i < destination.Length) destination[i++] = NextUInt32();
    }

    /// <summary>The next four uniforms on (0, 1), as a vector (for the vectorised samplers).</summary>
    public Vector256<double> NextDoubleVector()
    {
        if (doublePosition > Philox.DoublesPerCall - 4) RefillDoubles();
        var values = Vector256.Create<double>(doubles[doublePosition..(doublePosition + 4)]);
        doublePosition += 4;
        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToOpenUnitDouble(ulong bits) =>
        BitConverter.Int64BitsToDouble((long)((bits >> 12) | 0x3FF0000000000000UL)) - (1.0 - 1.0 / (1UL << 53));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ToOpenUnitDouble(Vector256<ulong> bits) =>
        ((bits >>> 12) | Vector256.Create(0x3FF0000000000000UL)).AsDouble() - Vector256.Create(1.0 - 1.0 / (1UL << 53));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToOpenUnitFloat(uint bits) =>
        BitConverter.Int32BitsToSingle((int)((bits >> 9) | 0x3F800000u)) - (1f - 1f / (1 << 24));

    private void RefillDoubles()
    {
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Philox.Doubles64(nextBlock, stream, key0, key1, doubles);
            nextBlock += Philox.DoublesPerCall / 2;
        }
        else
        {
            Span<uint> words = stackalloc uint[32];
            for (var part = 0; part < Philox.DoublesPerCall / 16; part++)
            {
                Philox.Blocks8(nextBlock, stream, key0, key1, words);
                nextBlock += 8;
                var pairs = MemoryMarshal.Cast<uint, ulong>(words);
                for (var k = 0; k < 16; k++) doubles[16 * part + k] = ToOpenUnitDouble(pairs[k]);
            }
        }
        doublePosition = 0;
    }

    private void Refill()
    {
        Philox.Blocks8(nextBlock, stream, key0, key1, buffer);
        nextBlock += 8;
        position = 0;
    }
}
