using System.Numerics;
using Dsl.Runtime.Neural;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The variational family of a model over several cell plates, as one model for the driver: element e is element
/// e − offset k of part k. A minibatch is cut into each part's rows, each part is stepped with the minibatch's total
/// as its loss's row count (so the loss is the mean over all the minibatch's cells, as scvi-tools' gimVI takes it),
/// and the parts' gradients add up in the shared parameters before one optimiser step.
/// </summary>
public sealed class JointFamily<T> : IJointVariational<T>, IPartitionedElements where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly int[] offsets;
    private readonly int[] termOffsets;
    private readonly List<int>[] rowsOfPart;
    private readonly List<int>[] elementsOfPart;
    private int threads = 1;

    public JointFamily(ParameterSet<T> parameters, IReadOnlyList<IVariationalPart<T>> parts)
    {
        if (parts.Count < 2) throw new ArgumentException("a joint family has at least two parts", nameof(parts));
        Parameters = parameters;
        Parts = parts;
        PartSizes = parts.Select(p => p.Elements).ToArray();
        offsets = new int[parts.Count];
        termOffsets = new int[parts.Count];
        for (var k = 1; k < parts.Count; k++)
        {
            offsets[k] = offsets[k - 1] + parts[k - 1].Elements;
            termOffsets[k] = termOffsets[k - 1] + parts[k - 1].Terms.Count;
        }
        Terms = parts.SelectMany(p => p.Terms).ToArray();
        rowsOfPart = parts.Select(_ => new List<int>()).ToArray();
        elementsOfPart = parts.Select(_ => new List<int>()).ToArray();
    }

    public IReadOnlyList<IVariationalPart<T>> Parts { get; }

    public IReadOnlyList<int> PartSizes { get; }

    public int Elements => offsets[^1] + Parts[^1].Elements;

    public ParameterSet<T> Parameters { get; }

    public IReadOnlyList<ElboTerm> Terms { get; }

    public int Threads
    {
        get => threads;
        set
        {
            threads = value;
            foreach (var part in Parts) part.Threads = value;
        }
    }

    /// <summary>The part element <paramref name="element"/> belongs to, and its index within that part.</summary>
    public (int Part, int Local) Locate(int element)
    {
        var part = offsets.Length - 1;
        while (offsets[part] > element) part--;
        return (part, element - offsets[part]);
    }

    /// <summary>The first element of part <paramref name="part"/>.</summary>
    public int Offset(int part) => offsets[part];

    public void Step(ReadOnlySpan<int> elements, VariationalStep step, Span<double> termSums)
    {
        Cut(elements);
        termSums.Clear();
        var stepped = new bool[Parts.Count];
        for (var k = 0; k < Parts.Count; k++)
        {
            if (elementsOfPart[k].Count == 0) continue;
            var partStep = step with { Stream = PartStream(step.Stream, k), LossRows = elements.Length, HoldBackward = step.Gradients };
            Parts[k].Step(elementsOfPart[k].ToArray(), partStep, termSums.Slice(termOffsets[k], Parts[k].Terms.Count));
            stepped[k] = true;
        }
        if (!step.Gradients) return;
        for (var k = 0; k < Parts.Count; k++)
            if (stepped[k]) Parts[k].FinishBackward();
    }

    /// <summary>Each part's outputs for its own elements among these (read them from <see cref="Parts"/>).</summary>
    public void Infer(ReadOnlySpan<int> elements)
    {
        Cut(elements);
        for (var k = 0; k < Parts.Count; k++)
            if (elementsOfPart[k].Count > 0) Parts[k].Infer(elementsOfPart[k].ToArray());
    }

    public void LogImportanceWeights(ReadOnlySpan<int> elements, ulong seed, ulong stream, Span<double> weights)
    {
        Cut(elements);
        for (var k = 0; k < Parts.Count; k++)
        {
            if (elementsOfPart[k].Count == 0) continue;
            var partWeights = new double[elementsOfPart[k].Count];
            Parts[k].LogImportanceWeights(elementsOfPart[k].ToArray(), seed, PartStream(stream, k), partWeights);
            for (var i = 0; i < partWeights.Length; i++) weights[rowsOfPart[k][i]] = partWeights[i];
        }
    }

    public void StoreParameters()
    {
        foreach (var part in Parts) part.StoreParameters();
    }

    /// <summary>Each part's elements of a minibatch (local indices, in minibatch order) and the rows they came from.</summary>
    private void Cut(ReadOnlySpan<int> elements)
    {
        for (var k = 0; k < Parts.Count; k++)
        {
            rowsOfPart[k].Clear();
            elementsOfPart[k].Clear();
        }
        for (var row = 0; row < elements.Length; row++)
        {
            var (part, local) = Locate(elements[row]);
            rowsOfPart[part].Add(row);
            elementsOfPart[part].Add(local);
        }
    }

    /// <summary>Part k's own stretch of a minibatch's stream (the top byte), so the parts' noise is independent.</summary>
    private static ulong PartStream(ulong stream, int part) => stream ^ ((ulong)(part + 1) << 56);
}
