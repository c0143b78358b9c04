using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Dsl.Runtime.Random;

namespace Dsl.Runtime.Sampling;

/// <summary>
/// The component totals sum_r z_r of independent rows z_r ~ Multinomial(n_r, p_r), drawn exactly without drawing the
/// rows themselves: what a Dirichlet mixing vector's conditional needs from its allocation counts (URSM eq 3.2-3.3).
/// <para>
/// Every trial of every row is one uniform U, compared with its row's cumulative shares c_j = (p_1 + ... + p_j) / sum p.
/// The trials of consecutive rows are laid end to end, and each row's thresholds are written over its stretch of the
/// trial positions, so the comparisons run thirty-two trials to an AVX2 vector whatever the rows' lengths, and a
/// threshold's total is a population count: no row pays for a vector of its own or for per-row bookkeeping.
/// </para>
/// <para>
/// U is drawn as base-256 digits only as far as needed: its first digit is one random byte, which settles U &lt; c_j
/// unless it equals c_j's first digit (one comparison in 256); such a trial is then decided by one double V, uniform
/// on the digit's interval, against the rest 256 c_j - digit (the same V for every threshold the trial ties, so the
/// trial stays one uniform). The totals are therefore exact. Rows with more than <see cref="RowTrialLimit"/> trials
/// are drawn as conditional binomials instead, whose cost does not grow with n.
/// </para>
/// </summary>
[SkipLocalsInit]
public static class MultinomialTotals
{
    /// <summary>
    /// Trials up to which a row is counted. Counting costs about 0.15 ns a trial and threshold plus the random byte;
    /// K - 1 conditional binomials cost about 35 ns each (BTRS).
    /// </summary>
    public const int RowTrialLimit = 256;

    /// <summary>Random first digits per refill: sixteen Philox calls.</summary>
    private const int TrialBytes = 16 * 4 * Philox.WordsPerCall;

    /// <summary>Rows whose thresholds are computed together.</summary>
    private const int RowBlock = 128;

    /// <summary>A row's two unconditional vectors may write this far past the stretch's last trial.</summary>
    private const int Pad = 64;

    private const int Stretch = TrialBytes + Pad;

    /// <summary>Scratch bytes <see cref="Sample"/> needs for <paramref name="components"/> components.</summary>
    public static int ScratchBytes(int components)
    {
        var thresholds = components - 1;
        if (thresholds <= 0 || thresholds > MaxThresholds) return 0;
        return thresholds * RowBlock * sizeof(double) + (2 + thresholds) * Stretch + thresholds * RowBlock;
    }

    /// <summary>
    /// Writes into <paramref name="totals"/> (K entries) one draw of sum_r z_r. <paramref name="shares"/> holds the rows'
    /// unnormalised probabilities component-major (entry k * rows + r); every row with trials needs a positive, finite
    /// sum. When <paramref name="conditionalMeans"/> is not empty, each row's mean n_r p_rk / sum_c p_rc is added to it
    /// (laid out like the shares): a Rao-Blackwell estimate of the allocations comes for the loads already made.
    /// </summary>
    public static void Sample(
        ReadOnlySpan<double> shares, ReadOnlySpan<int> trials, int components, Span<double> totals, Span<double> conditionalMeans,
        Span<byte> scratch, ref RandomStream random)
    {
        var rows = trials.Length;
        if (components <= 0 || shares.Length < components * rows) throw new ArgumentException($"shares must hold {components} x {rows} entries", nameof(shares));
        if (totals.Length < components) throw new ArgumentException($"totals needs {components} entries", nameof(totals));
        if (!conditionalMeans.IsEmpty && conditionalMeans.Length < components * rows) throw new ArgumentException($"conditional means need {components} x {rows} entries", nameof(conditionalMeans));
        if (scratch.Length < ScratchBytes(components)) throw new ArgumentException($"scratch needs {ScratchBytes(components)} bytes", nameof(scratch));
        totals[..components].Clear();
        if (components == 1)
        {
            foreach (var n in trials) totals[0] += n;
            if (!conditionalMeans.IsEmpty) for (var r = 0; r < rows; r++) conditionalMeans[r] += trials[r];
            return;
        }
        if (components - 1 > MaxThresholds)
        {
            // So many thresholds per trial would cost more than the rows' conditional binomials.
            for (var r = 0; r < rows; r++)
            {
                if (trials[r] == 0) continue;
                ConditionalBinomials(shares, rows, r, trials[r], components, totals, ref random);
                if (!conditionalMeans.IsEmpty) AddRowMeans(shares, rows, r, trials[r], components, conditionalMeans);
            }
            return;
        }
        var counter = new TrialCounter(scratch, components - 1);
        for (var start = 0; start < rows; start += RowBlock)
        {
            var end = Math.Min(rows, start + RowBlock);
            counter.SetThresholds(shares, rows, start, end, trials, conditionalMeans);
            for (var r = start; r < end; r++)
            {
                var n = trials[r];
                if (n == 0) continue;
                if (n <= RowTrialLimit) counter.Add(r - start, n, ref random);
                else ConditionalBinomials(shares, rows, r, n, components, totals, ref random);
            }
            counter.Flush(ref random);
        }
        counter.AddTotals(totals);
    }

    /// <summary>means[k * rows + r] += n p_rk / sum_c p_rc.</summary>
    private static void AddRowMeans(ReadOnlySpan<double> shares, int rows, int r, int n, int components, Span<double> means)
    {
        var mass = 0.0;
        for (var k = 0; k < components; k++) mass += shares[k * rows + r];
        if (!(mass > 0 && double.IsFinite(mass))) throw NoShares(r, mass);
        for (var k = 0; k < components; k++) means[k * rows + r] += n * shares[k * rows + r] / mass;
    }

    private static ArgumentException NoShares(int row, double mass) =>
        new($"row {row} has trials but its shares sum to {mass}; a multinomial needs a positive, finite total", "shares");

    /// <summary>One long row by conditional binomials, added to the totals.</summary>
    private static void ConditionalBinomials(ReadOnlySpan<double> shares, int rows, int r, int n, int components, Span<double> totals, ref RandomStream random)
    {
        var mass = 0.0;
        for (var k = 0; k < components; k++) mass += shares[k * rows + r];
        if (!(mass > 0 && double.IsFinite(mass))) throw NoShares(r, mass);
        double remaining = n;
        for (var k = 0; k < components - 1 && remaining > 0; k++)
        {
            var share = shares[k * rows + r];
            var x = Binomial.Sample(remaining, mass > 0 ? Math.Min(1, share / mass) : 0, ref random);
            totals[k] += x;
            remaining -= x;
            mass -= share;
        }
        totals[components - 1] += remaining;
    }

    /// <summary>
    /// The trial stream: random first digits, and over each row's trial positions its thresholds' first digits and
    /// its index in the block; per threshold, the count of trials below. Rows join a stretch of positions that is
    /// counted (<see cref="Flush"/>) when the random digits run out or a block of rows ends.
    /// </summary>
    private ref struct TrialCounter
    {
        private readonly int thresholds;
        private readonly Span<double> rests;      // [j * RowBlock + row]: 256 c_j - first digit, in [0, 1]
        private readonly Span<byte> digits;       // [j * RowBlock + row]: the first digit, shifted by 128
        private readonly Span<byte> trialDigits;  // the random first digits
        private readonly Span<byte> rowAt;        // [position]: the row in the block whose trial it is
        private readonly Span<byte> positions;    // [j * Stretch + position]: threshold j's first digit at each trial
        private int next;                         // the next unused random digit
        private int stretchStart;                 // the first position not yet counted
        private long counted;                     // trials counted
        private Counts below;                     // per threshold, trials counted below it

        public TrialCounter(Span<byte> scratch, int thresholds)
        {
            this.thresholds = thresholds;
            var restBytes = thresholds * RowBlock * sizeof(double);
            rests = MemoryMarshal.Cast<byte, double>(scratch[..restBytes]);
            trialDigits = scratch.Slice(restBytes, Stretch);
            rowAt = scratch.Slice(restBytes + Stretch, Stretch);
            positions = scratch.Slice(restBytes + 2 * Stretch, thresholds * Stretch);
            digits = scratch.Slice(restBytes + (2 + thresholds) * Stretch, thresholds * RowBlock);
            next = stretchStart = TrialBytes; // empty: the first row refills
        }

        /// <summary>
        /// Thresholds of rows start..end-1 as first digits and rests, four rows at a time; and, when asked, the rows'
        /// conditional means.
        /// </summary>
        public void SetThresholds(ReadOnlySpan<double> shares, int rows, int start, int end, ReadOnlySpan<int> trials, Span<double> means)
        {
            var components = thresholds + 1;
            var r = start;
            // Bounds: Sample checked that shares and means hold components x rows entries, and start..end is inside them.
            ref var sharesRef = ref MemoryMarshal.GetReference(shares);
            ref var restsRef = ref MemoryMarshal.GetReference(rests);
            for (; r + 4 <= end; r += 4)
            {
                var mass = Vector256<double>.Zero;
                for (var k = 0; k < components; k++) mass += Vector256.LoadUnsafe(ref sharesRef, (nuint)(k * rows + r));
                var n = AsDoubles(trials.Slice(r, 4));
                RequirePositive(mass, n, r);
                var inverse = Vector256<double>.One / mass;
                var scale = Vector256.Create(256.0) * inverse;
                var cumulative = Vector256<double>.Zero;
                for (var j = 0; j < thresholds; j++)
                {
                    cumulative += Vector256.LoadUnsafe(ref sharesRef, (nuint)(j * rows + r));
                    var scaled = cumulative * scale;
                    var first = Vector256.Min(Vector256.Floor(scaled), Vector256.Create(255.0));
                    var at = j * RowBlock + r - start;
                    (scaled - first).StoreUnsafe(ref restsRef, (nuint)at);
                    StoreDigits(first, digits.Slice(at, 4));
                }
                if (means.IsEmpty) continue;
                // Rows without trials add nothing (and may have no shares).
                ref var meansRef = ref MemoryMarshal.GetReference(means);
                var perShare = Vector256.ConditionalSelect(Vector256.Equals(n, Vector256<double>.Zero), Vector256<double>.Zero, n * inverse);
                for (var k = 0; k < components; k++)
                {
                    var at = (nuint)(k * rows + r);
                    Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref sharesRef, at), perShare, Vector256.LoadUnsafe(ref meansRef, at)).StoreUnsafe(ref meansRef, at);
                }
            }
            for (; r < end; r++)
            {
                var mass = 0.0;
                for (var k = 0; k < components; k++) mass += shares[k * rows + r];
                if (trials[r] == 0) continue;
                if (!(mass > 0 && double.IsFinite(mass))) throw NoShares(r, mass);
                var cumulative = 0.0;
                for (var j = 0; j < thresholds; j++)
                {
                    cumulative += shares[j * rows + r];
                    var scaled = cumulative * (256.0 / mass);
                    var first = Math.Min(Math.Floor(scaled), 255.0);
                    rests[j * RowBlock + r - start] = scaled - first;
                    digits[j * RowBlock + r - start] = (byte)((int)first - 128);
                }
                if (means.IsEmpty) continue;
                for (var k = 0; k < components; k++) means[k * rows + r] += trials[r] * shares[k * rows + r] / mass;
            }
        }

        /// <summary>Four counts as doubles.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> AsDoubles(ReadOnlySpan<int> four) =>
            Avx.IsSupported ? Avx.ConvertToVector256Double(Vector128.Create(four)) : Vector256.Create((double)four[0], four[1], four[2], four[3]);

        /// <summary>Four whole digits 0..255, as doubles, stored as bytes shifted by 128.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreDigits(Vector256<double> first, Span<byte> destination)
        {
            if (Avx.IsSupported)
            {
                var shifted = Avx.ConvertToVector128Int32WithTruncation(first) - Vector128.Create(128);
                var bytes = Vector128.Narrow(Vector128.Narrow(shifted, shifted), Vector128<short>.Zero);
                MemoryMarshal.Write(destination, bytes.AsInt32().ToScalar());
                return;
            }
            for (var lane = 0; lane < 4; lane++) destination[lane] = (byte)((int)first[lane] - 128);
        }

        private static void RequirePositive(Vector256<double> mass, Vector256<double> n, int r)
        {
            // Positive and finite, or no trials: NaN fails both comparisons.
            var good = Vector256.GreaterThan(mass, Vector256<double>.Zero) & Vector256.LessThan(mass, Vector256.Create(double.PositiveInfinity))
                | Vector256.Equals(n, Vector256<double>.Zero);
            if (good.ExtractMostSignificantBits() == 0b1111) return;
            var lane = BitOperations.TrailingZeroCount(~good.ExtractMostSignificantBits());
            throw NoShares(r + lane, mass[lane]);
        }

        /// <summary>
        /// Row <paramref name="row"/> of the block, with n trials, joins the stretch. Two vectors per array cover up to
        /// 64 trials without a loop; the next row's writes replace what spills past this one's end.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int row, int n, ref RandomStream random)
        {
            if (next + n > TrialBytes)
            {
                Flush(ref random);
                random.FillWords(MemoryMarshal.Cast<byte, uint>(trialDigits[..TrialBytes]));
                next = stretchStart = 0;
            }
            // Bounds: next + n <= TrialBytes and every array has Pad bytes after its stretch; row < RowBlock.
            ref var at = ref Unsafe.Add(ref MemoryMarshal.GetReference(rowAt), next);
            ref var digit = ref Unsafe.Add(ref MemoryMarshal.GetReference(digits), row);
            var index = Vector256.Create((byte)row);
            index.StoreUnsafe(ref at);
            index.StoreUnsafe(ref at, 32);
            ref var target = ref Unsafe.Add(ref MemoryMarshal.GetReference(positions), next);
            for (var j = 0; j < thresholds; j++)
            {
                var value = Vector256.Create(Unsafe.Add(ref digit, j * RowBlock));
                value.StoreUnsafe(ref target, (nuint)(j * Stretch));
                value.StoreUnsafe(ref target, (nuint)(j * Stretch + 32));
            }
            for (var q = 64; q < n; q += 32)
            {
                index.StoreUnsafe(ref at, (nuint)q);
                for (var j = 0; j < thresholds; j++) Vector256.Create(Unsafe.Add(ref digit, j * RowBlock)).StoreUnsafe(ref target, (nuint)(j * Stretch + q));
            }
            next += n;
        }

        /// <summary>
        /// Counts the stretch's trials below each threshold, two thresholds at a time so the counts stay in registers,
        /// noting which vectors hold a trial on some threshold's first digit; those are then decided one by one. The
        /// stretch then starts again where it ended.
        /// </summary>
        public void Flush(ref RandomStream random)
        {
            if (next == stretchStart) return;
            ref var trialsRef = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, sbyte>(trialDigits));
            ref var positionsRef = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, sbyte>(positions));
            var vectors = (next - stretchStart + 31) / 32;
            var tail = next - stretchStart - 32 * (vectors - 1);
            var lastValid = tail == 32 ? uint.MaxValue : (1u << tail) - 1;
            Span<uint> tied = stackalloc uint[TrialBytes / 32 + 1];
            tied[..vectors].Clear();
            ref var uRef = ref Unsafe.Add(ref trialsRef, stretchStart);
            // Thresholds two at a time: each trial vector is loaded once per pair, and both counts stay in registers.
            // An odd last threshold is paired with itself.
            for (var j = 0; j < thresholds; j += 2)
            {
                var pair = Math.Min(j + 1, thresholds - 1);
                ref var firstRef = ref Unsafe.Add(ref positionsRef, j * Stretch + stretchStart);
                ref var secondRef = ref Unsafe.Add(ref positionsRef, pair * Stretch + stretchStart);
                int first = 0, second = 0;
                for (var v = 0; v < vectors; v++)
                {
                    var u = Vector256.LoadUnsafe(ref uRef, (nuint)(32 * v));
                    var a = Vector256.LoadUnsafe(ref firstRef, (nuint)(32 * v));
                    var b = Vector256.LoadUnsafe(ref secondRef, (nuint)(32 * v));
                    var valid = v == vectors - 1 ? lastValid : uint.MaxValue;
                    first += BitOperations.PopCount(Vector256.LessThan(u, a).ExtractMostSignificantBits() & valid);
                    second += BitOperations.PopCount(Vector256.LessThan(u, b).ExtractMostSignificantBits() & valid);
                    tied[v] |= (Vector256.Equals(u, a) | Vector256.Equals(u, b)).ExtractMostSignificantBits() & valid;
                }
                below[j] += first;
                if (pair > j) below[pair] += second;
            }
            ResolveTies(tied[..vectors], ref random);
            counted += next - stretchStart;
            stretchStart = next;
        }

        /// <summary>
        /// Trials on a threshold's first digit (the bits of <paramref name="tied"/>, one word per vector of the stretch):
        /// one uniform V each, below every threshold whose first digit the trial equals and whose rest exceeds V.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void ResolveTies(scoped ReadOnlySpan<uint> tied, ref RandomStream random)
        {
            ref var trialsRef = ref MemoryMarshal.GetReference(trialDigits);
            ref var rowRef = ref MemoryMarshal.GetReference(rowAt);
            ref var positionsRef = ref MemoryMarshal.GetReference(positions);
            ref var restsRef = ref MemoryMarshal.GetReference(rests);
            for (var v = 0; v < tied.Length; v++)
            {
                for (var lanes = tied[v]; lanes != 0; lanes &= lanes - 1)
                {
                    // Bounds: every position is inside the stretch, every row inside the block.
                    var position = stretchStart + 32 * v + BitOperations.TrailingZeroCount(lanes);
                    var trial = Unsafe.Add(ref trialsRef, position);
                    var row = Unsafe.Add(ref rowRef, position);
                    var u = random.NextDouble();
                    for (var j = 0; j < thresholds; j++)
                    {
                        var onDigit = trial == Unsafe.Add(ref positionsRef, j * Stretch + position);
                        below[j] += Unsafe.BitCast<bool, byte>(onDigit) & Unsafe.BitCast<bool, byte>(u < Unsafe.Add(ref restsRef, j * RowBlock + row));
                    }
                }
            }
        }

        /// <summary>Adds the counted trials' component totals: the counts between consecutive thresholds.</summary>
        public readonly void AddTotals(Span<double> totals)
        {
            long previous = 0;
            for (var j = 0; j < thresholds; j++)
            {
                totals[j] += below[j] - previous;
                previous = below[j];
            }
            totals[thresholds] += counted - previous;
        }
    }

    /// <summary>Thresholds per trial up to which counting is used (and a row's counts fit on the stack).</summary>
    private const int MaxThresholds = 63;

    [InlineArray(MaxThresholds)]
    private struct Counts
    {
        private long element;
    }
}
