using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// The Vector256 path of PG. The scalar reference nests two rejection loops (a piece of Devroye's envelope, then a
/// proposal within the left piece, then the alternating series); here they are one loop. A lane's attempt draws
/// the piece, a raw proposal in it and both verdicts at once; a lane whose left proposal is thinned away starts a
/// new attempt from the piece choice. That is exact because the piece is chosen with the left weight divided by the
/// left proposal's acceptance rate (see <see cref="RightChoice"/>), so no lane waits on another's inner loop.
/// The span API keeps all four lanes busy: a lane that accepts stores its draw and takes the next element.
/// </summary>
public static partial class PolyaGamma
{
    private static readonly Vector256<double> truncationV = Vector256.Create(Truncation);

    /// <summary>Elements whose h and piece-choice probability are computed in one vector pass before they are drawn.</summary>
    private const int Block = 1024;

    /// <summary>PG(1, z[i]) for every i.</summary>
    public static void SampleOne(ReadOnlySpan<double> z, Span<double> destination, ref RandomStream random)
    {
        if (destination.Length < z.Length) throw new ArgumentException("destination is shorter than z", nameof(destination));
        // Four sentinel elements past each block (see DrawBlock) hold valid parameters and absorb idle lanes' writes.
        Span<double> half = stackalloc double[Block + 4];
        Span<double> rightChoice = stackalloc double[Block + 4];
        Span<double> draws = stackalloc double[Block + 4];
        for (var start = 0; start < z.Length; start += Block)
        {
            var count = Math.Min(Block, z.Length - start);
            var block = z.Slice(start, count);
            var i = 0;
            for (; i + 4 <= count; i += 4)
            {
                var h = Vector256.Abs(Vector256.Create(block[i..])) * Vector256.Create(0.5);
                h.CopyTo(half[i..]);
                RightChoice(h).CopyTo(rightChoice[i..]);
            }
            for (; i < count + 4; i++)
            {
                half[i] = i < count ? Math.Abs(block[i]) * 0.5 : 0;
                rightChoice[i] = RightChoice(Vector256.Create(half[i])).GetElement(0);
            }
            DrawBlock(count, half, rightChoice, draws, ref random);
            draws[..count].CopyTo(destination[start..]);
        }
    }

    /// <summary>
    /// Four lanes draw the elements in order. Each loop makes one attempt in every lane; a lane whose attempt is
    /// accepted takes the next element. Every lane writes its proposal each time, and the accepted one is the last
    /// written. Lanes that run past the end take sentinel element count + lane and idle there until the others
    /// finish. Nothing in the loop branches on which lanes accepted.
    /// </summary>
    private static void DrawBlock(int count, ReadOnlySpan<double> half, ReadOnlySpan<double> rightChoice, Span<double> draws, ref RandomStream random)
    {
        var element = Vector128.Create(0, 1, 2, 3);
        var next = 4;
        var sentinel = Vector128.Create(count) + Vector128.Create(0, 1, 2, 3);
        element = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(element, Vector128.Create(count)), sentinel, element);
        while (!Vector128.GreaterThanOrEqualAll(element, Vector128.Create(count)))
        {
            int e0 = element[0], e1 = element[1], e2 = element[2], e3 = element[3];
            var (x, accepted) = Attempt(Vector256.Create(half[e0], half[e1], half[e2], half[e3]),
                Vector256.Create(rightChoice[e0], rightChoice[e1], rightChoice[e2], rightChoice[e3]), ref random);
            var value = Vector256.Create(0.25) * x;
            draws[e0] = value[0];
            draws[e1] = value[1];
            draws[e2] = value[2];
            draws[e3] = value[3];
            var done = (int)accepted.ExtractMostSignificantBits();
            var taken = Vector128.Create(next) + acceptedOffsets[done];
            taken = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(taken, Vector128.Create(count)), sentinel, taken);
            element = Vector128.ConditionalSelect(acceptedMasks[done], taken, element);
            next += System.Numerics.BitOperations.PopCount((uint)done);
        }
    }

    /// <summary>For each 4-bit accepted pattern: lane j's offset among the accepted lanes (how many below j accepted).</summary>
    private static readonly Vector128<int>[] acceptedOffsets =
        [.. Enumerable.Range(0, 16).Select(bits => Vector128.Create(0, bits & 1, System.Numerics.BitOperations.PopCount((uint)bits & 3),
            System.Numerics.BitOperations.PopCount((uint)bits & 7)))];

    /// <summary>For each 4-bit accepted pattern: all-ones in the accepted lanes.</summary>
    private static readonly Vector128<int>[] acceptedMasks =
        [.. Enumerable.Range(0, 16).Select(bits => Vector128.Create(-(bits & 1), -((bits >> 1) & 1), -((bits >> 2) & 1), -((bits >> 3) & 1)))];

    /// <summary>PG(b[i], z[i]) for every i.</summary>
    public static void Sample(ReadOnlySpan<double> b, ReadOnlySpan<double> z, Span<double> destination, ref RandomStream random)
    {
        if (b.Length != z.Length || destination.Length < z.Length) throw new ArgumentException("b, z and destination must have one length");
        var i = 0;
        for (; i + 4 <= z.Length; i += 4)
        {
            var bv = Vector256.Create(b[i..]);
            var integral = Vector256.Equals(bv, Vector256.Floor(bv)) & Vector256.LessThanOrEqual(bv, Vector256.Create((double)ExactSumLimit))
                & Vector256.GreaterThan(bv, Vector256<double>.Zero);
            if (integral.ExtractMostSignificantBits() != 0b1111)
            {
                var positive = Vector256.GreaterThan(bv, Vector256<double>.Zero).ExtractMostSignificantBits() == 0b1111;
                if (integral.ExtractMostSignificantBits() == 0 && positive)
                {
                    SampleBySeries(bv, Vector256.Create(z[i..]), ref random).CopyTo(destination[i..]);
                    continue;
                }
                for (var k = i; k < i + 4; k++) destination[k] = Sample(b[k], z[k], ref random);
                continue;
            }
            // Sum b exact draws lane by lane: lane j adds draws while r < b[j].
            var zv = Vector256.Create(z[i..]);
            var sum = Vector256<double>.Zero;
            var most = (int)Math.Max(Math.Max(bv[0], bv[1]), Math.Max(bv[2], bv[3]));
            for (var r = 0; r < most; r++)
                sum += Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Create((double)r), bv), SampleOne(zv, ref random), Vector256<double>.Zero);
            sum.CopyTo(destination[i..]);
        }
        for (; i < z.Length; i++) destination[i] = Sample(b[i], z[i], ref random);
    }

    /// <summary>The series method of <see cref="SampleBySeries(double, double, ref RandomStream)"/> in four lanes.</summary>
    private static Vector256<double> SampleBySeries(Vector256<double> b, Vector256<double> z, ref RandomStream random)
    {
        var c = z * z * Vector256.Create(1 / (4 * Math.PI * Math.PI));
        var sum = Vector256<double>.Zero;
        var headMean = Vector256<double>.Zero;
        var headVariance = Vector256<double>.Zero;
        for (var k = 1; k <= SeriesTerms; k++)
        {
            var d = Vector256.Create((k - 0.5) * (k - 0.5)) + c;
            var inverse = Vector256<double>.One / d;
            sum += Gamma.Sample(b, ref random) * inverse;
            headMean += inverse;
            headVariance += inverse * inverse;
        }
        var scale = 1 / (2 * Math.PI * Math.PI);
        Span<double> tailShape = stackalloc double[4];
        Span<double> tailScale = stackalloc double[4];
        for (var lane = 0; lane < 4; lane++)
        {
            var tailMean = Mean(b[lane], z[lane]) - b[lane] * scale * headMean[lane];
            var tailVariance = Variance(b[lane], z[lane]) - b[lane] * scale * scale * headVariance[lane];
            var valid = tailMean > 0 && tailVariance > 0;
            tailShape[lane] = valid ? tailMean * tailMean / tailVariance : 1;
            tailScale[lane] = valid ? tailVariance / tailMean : 0;
        }
        var tail = Gamma.Sample(Vector256.Create<double>(tailShape), ref random) * Vector256.Create<double>(tailScale);
        return Vector256.Create(scale) * sum + tail;
    }

    /// <summary>Four PG(1, z) draws.</summary>
    public static Vector256<double> SampleOne(Vector256<double> z, ref RandomStream random)
    {
        var half = Vector256.Abs(z) * Vector256.Create(0.5);
        var rightChoice = RightChoice(half);
        var result = Vector256<double>.Zero;
        var pending = Vector256<double>.AllBitsSet;
        while (VectorRandom.Any(pending))
        {
            var (x, accepted) = Attempt(half, rightChoice, ref random);
            accepted &= pending;
            result = Vector256.ConditionalSelect(accepted, Vector256.Create(0.25) * x, result);
            pending = Vector256.AndNot(pending, accepted);
        }
        return result;
    }
}
