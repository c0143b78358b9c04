using System.Runtime.InteropServices;
using Dsl.Runtime.Random;
using Dsl.Runtime.Sampling;

namespace Dsl.Runtime.Tests.Kernels;

/// <summary>
/// The digit logic of <see cref="MultinomialByCounting"/>: trials placed exactly on a threshold's digits, which random
/// trials reach only once in 256 or 65536 comparisons, must still be decided as the uniform they stand for would be.
/// (The marginals of whole rows are checked with the other multinomial paths in <see cref="DiscreteSamplerTests"/>.)
/// </summary>
public sealed class MultinomialByCountingTests
{
    private const int Trials = 32 * 1000;

    // 65536 c = 1234.3 = 4 * 256 + 210 + 0.3: first digit 4, second digit 210, rest 0.3.
    private const double Scaled = 1234.3;

    [Fact]
    public void TrialsOnTheFirstDigit_AreDecidedByTheSecondDigitAndTheRest()
    {
        var thresholds = Thresholds(Scaled);
        var trials = Filled((byte)thresholds.First[0]);
        var refinements = new MultinomialByCounting.RefinementBytes(new uint[Philox.WordsPerCall], filled: false);
        var random = new RandomStream(21, 0);

        var below = Classify(trials, ref thresholds, ref refinements, ref random);

        // P(U < c | first digit equal) = P(b < 210) + P(b = 210) * 0.3; 4.5 binomial standard errors (0.0027 each).
        Assert.InRange(below / (double)Trials, 210.3 / 256 - 0.012, 210.3 / 256 + 0.012);
    }

    [Fact]
    public void TrialsOnBothDigits_AreDecidedByTheRest()
    {
        var thresholds = Thresholds(Scaled);
        var trials = Filled((byte)thresholds.First[0]);
        var second = Filled((byte)thresholds.Second[0]);
        var refinements = new MultinomialByCounting.RefinementBytes(MemoryMarshal.Cast<byte, uint>(second.AsSpan()), filled: true);
        var random = new RandomStream(22, 0);

        var below = Classify(trials, ref thresholds, ref refinements, ref random);

        // Each trial is V < 0.3 for its own uniform V: 4.5 standard errors (0.0026).
        Assert.InRange(below / (double)Trials, 0.3 - 0.012, 0.3 + 0.012);
    }

    [Fact]
    public void AShareOfOne_HasEveryTrialBelowIt_EvenTheTopDigits()
    {
        var thresholds = Thresholds(65536);
        var trials = Filled((byte)thresholds.First[0]); // the top digit, 255, where a clamped threshold sits
        var refinements = new MultinomialByCounting.RefinementBytes(new uint[Philox.WordsPerCall], filled: false);
        var random = new RandomStream(23, 0);

        Assert.Equal(Trials, Classify(trials, ref thresholds, ref refinements, ref random));
    }

    private static MultinomialByCounting.Digits Thresholds(double scaled)
    {
        var thresholds = new MultinomialByCounting.Digits();
        thresholds.Set(0, scaled);
        return thresholds;
    }

    private static byte[] Filled(byte value) => Enumerable.Repeat(value, Trials).ToArray();

    private static int Classify(byte[] trials, ref MultinomialByCounting.Digits thresholds, ref MultinomialByCounting.RefinementBytes refinements, ref RandomStream random)
    {
        var below = new int[1];
        MultinomialByCounting.Classify(trials, Trials, ref thresholds, 1, below, ref refinements, ref random);
        return below[0];
    }
}
