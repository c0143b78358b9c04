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

    [InlineArray(32)]
    private struct Words
    {
        private uint element;
    }

    public RandomStream(ulong seed, ulong stream, ulong startBlock = 0)
    {
        key0 = (uint)seed;
        key1 = (uint)(seed >> 32);
        this.stream = stream;
        nextBlock = startBlock;
        position = 32;
    }

    public ulong Stream => stream;

    public uint NextUInt32()
    {
        if (position == 32) Refill();
        return buffer[position++];
    }

    public ulong NextUInt64() => NextUInt32() | ((ulong)NextUInt32() << 32);

    /// <summary>Uniform on the open interval (0, 1) with 52 random bits: never 0, so log(u) is always finite.</summary>
    public double NextDouble() => ToOpenUnitDouble(NextUInt64());

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
        // Whole refills go straight through the vector path.
        while (i < destination.Length && position != 32) destination[i++] = NextDouble();
        while (System.Runtime.Intrinsics.X86.Avx2.IsSupported && destination.Length - i >= 32)
        {
            Philox.Doubles32(nextBlock, stream, key0, key1, destination[i..]);
            nextBlock += 16;
            i += 32;
        }
        while (System.Runtime.Intrinsics.X86.Avx2.IsSupported && destination.Length - i >= 16)
        {
            Philox.Doubles16(nextBlock, stream, key0, key1, destination[i..]);
            nextBlock += 8;
            i += 16;
        }
        while (i < destination.Length) destination[i++] = NextDouble();
    }

    /// <summary>The next four uniforms on (0, 1), as a vector (for the vectorised samplers).</summary>
    public Vector256<double> NextDoubleVector()
    {
        if (position > 24) Refill();
        var bits = Vector256.Create<ulong>(MemoryMarshal.Cast<uint, ulong>(buffer[position..(position + 8)]));
        position += 8;
        return ToOpenUnitDouble(bits);
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

    private void Refill()
    {
        Philox.Blocks8(nextBlock, stream, key0, key1, buffer);
        nextBlock += 8;
        position = 0;
    }
}
