using Dsl.Runtime.Random;
using Dsl.Runtime.Tests.Statistics;

namespace Dsl.Runtime.Tests.Kernels;

public sealed class RandomTests
{
    // Random123's kat_vectors for philox4x32-10: counter, key, expected output.
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Philox_MatchesKnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        Assert.Equal((r0, r1, r2, r3), Philox.Block(c0, c1, c2, c3, k0, k1));
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(0xFFFFFFFCUL, 7UL)] // the 64-bit block counter carries into its high word inside the eight blocks
    [InlineData(0x123456789ABCDEFUL, 0xFEDCBA9876543210UL)]
    public void Blocks8_EqualsEightScalarBlocks(ulong block, ulong stream)
    {
        Span<uint> vector = stackalloc uint[32];
        Philox.Blocks8(block, stream, 0xa4093822, 0x299f31d0, vector);

        for (var b = 0; b < 8; b++)
        {
            var counter = block + (ulong)b;
            var expected = Philox.Block((uint)counter, (uint)(counter >> 32), (uint)stream, (uint)(stream >> 32), 0xa4093822, 0x299f31d0);
            Assert.Equal(expected, (vector[4 * b], vector[4 * b + 1], vector[4 * b + 2], vector[4 * b + 3]));
        }
    }

    [Fact]
    public void FillUniform_EqualsRepeatedNextDouble_FromAnyStartingPoint()
    {
        var a = new RandomStream(42, 7);
        var b = new RandomStream(42, 7);
        a.NextUInt32(); // misalign the buffer
        b.NextUInt32();
        var filled = new double[1003];
        a.FillUniform(filled);

        for (var i = 0; i < filled.Length; i++) Assert.Equal(b.NextDouble(), filled[i]);
    }

    [Fact]
    public void FillWords_EqualsRepeatedNextUInt32_FromAnyStartingPoint()
    {
        var a = new RandomStream(42, 7);
        var b = new RandomStream(42, 7);
        a.NextUInt32(); // misalign the buffer
        b.NextUInt32();
        var filled = new uint[3 * Philox.WordsPerCall + 45];
        a.FillWords(filled);

        for (var i = 0; i < filled.Length; i++) Assert.Equal(b.NextUInt32(), filled[i]);
    }

    [Fact]
    public void Stream_IsAPureFunctionOfSeedStreamAndPosition()
    {
        var whole = new RandomStream(9, 3);
        for (var i = 0; i < 80; i++) whole.NextUInt32();
        var resumed = new RandomStream(9, 3, startBlock: 20); // 80 words = 20 blocks of 4

        Assert.Equal(whole.NextUInt64(), resumed.NextUInt64());
        Assert.NotEqual(new RandomStream(9, 4).NextUInt64(), new RandomStream(9, 3).NextUInt64());
        Assert.NotEqual(new RandomStream(10, 3).NextUInt64(), new RandomStream(9, 3).NextUInt64());
    }

    [Fact]
    public void Uniform_IsUniformOnTheOpenInterval()
    {
        var stream = new RandomStream(1, 0);
        var draws = new double[1_000_000];
        stream.FillUniform(draws);

        Assert.True(draws.Min() > 0 && draws.Max() < 1);
        StatCheck.Moments(draws, 0.5, 1.0 / 12, "uniform");
        StatCheck.KolmogorovSmirnov(draws, u => u, "uniform");
    }

    [Fact]
    public void FloatUniform_IsUniformOnTheOpenInterval()
    {
        var stream = new RandomStream(3, 0);
        var draws = new double[1_000_000];
        for (var i = 0; i < draws.Length; i++) draws[i] = stream.NextFloat();

        Assert.True(draws.Min() > 0 && draws.Max() < 1);
        StatCheck.Moments(draws, 0.5, 1.0 / 12, "float uniform");
        StatCheck.KolmogorovSmirnov(draws, u => u, "float uniform");
    }

    [Fact]
    public void Normal_AndExponential_HaveTheirDistributions()
    {
        var stream = new RandomStream(2, 0);
        var normals = new double[400_000];
        var exponentials = new double[400_000];
        for (var i = 0; i < normals.Length; i++) normals[i] = stream.NextNormal();
        for (var i = 0; i < exponentials.Length; i++) exponentials[i] = stream.NextExponential();

        StatCheck.Moments(normals, 0, 1, "normal");
        StatCheck.KolmogorovSmirnov(normals, x => MathNet.Numerics.Distributions.Normal.CDF(0, 1, x), "normal");
        StatCheck.Moments(exponentials, 1, 1, "exponential");
        StatCheck.KolmogorovSmirnov(exponentials, x => 1 - Math.Exp(-x), "exponential");
    }
}
