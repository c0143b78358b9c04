using System.Numerics;
using Dsl.Runtime.Neural;

namespace Dsl.Runtime.Variational;

/// <summary>
/// The variational family of a model over several cell plates, as one model for the driver: element e is element
/// e − offset k of part k. A minibatch is cut into each part's rows, each part is stepped with the minibatch's total
/// as its loss's row count (so the loss is the mean over all the minibatch's cells, as scvi-tools' gimVI takes it),
/// and the parts' gradients add up in the shared parameters before one optimiser step.
/// </summary>
/// <remarks>
/// Declared adversarial groups add a penalty term each: after the parts' forward passes, a discriminator scores the
/// groups' latent samples and κ times its fooling loss sends its gradient into the samples before the parts'
/// backward passes. After the optimiser's step, <see cref="TrainAdversaries"/> draws fresh samples from the updated
/// encoders and trains the discriminators with their own optimisers, as scvi-tools' gimVI alternates them.
/// </remarks>
public sealed class JointFamily<T> : IJointVariational<T>, IPartitionedElements, IAdversarialTraining, ICheckpointExtras where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Streams of the discriminators' training passes, apart from the model's minibatch streams.</summary>
    private const ulong AdversaryStreams = 0xAD5E_0000_0000_0000UL;

    private readonly int[] offsets;
    private readonly int[] termOffsets;
    private readonly List<int>[] rowsOfPart;
    private readonly List<int>[] elementsOfPart;
    private readonly LatentDiscriminator<T>[] discriminators;
    private int threads = 1;

    /// <param name="adversaries">declared adversarial groups, their discriminators initialised from <paramref name="seed"/></param>
    public JointFamily(ParameterSet<T> parameters, IReadOnlyList<IVariationalPart<T>> parts, IReadOnlyList<AdversarialGroup>? adversaries = null, ulong seed = 0)
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
        discriminators = (adversaries ?? []).Select(group => new LatentDiscriminator<T>(group, LatentWidth(parts, group), seed)).ToArray();
        Terms = parts.SelectMany(p => p.Terms).Concat(discriminators.Select(d => new ElboTerm($"adversarial({d.Group.Group})", true, WarmedUp: false) { Penalty = true })).ToArray();
        rowsOfPart = parts.Select(_ => new List<int>()).ToArray();
        elementsOfPart = parts.Select(_ => new List<int>()).ToArray();
    }

    public IReadOnlyList<IVariationalPart<T>> Parts { get; }

    /// <summary>The discriminators of the declared adversarial groups (their κ may be set per fit).</summary>
    public IReadOnlyList<LatentDiscriminator<T>> Discriminators => discriminators;

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
            foreach (var discriminator in discriminators) discriminator.Threads = 1; // a few dozen units: splitting costs more than it saves
        }
    }

    public int PartOfTerm(int term)
    {
        for (var k = Parts.Count - 1; k >= 0; k--)
            if (term >= termOffsets[k]) return term < termOffsets[k] + Parts[k].Terms.Count ? k : -1;
        return -1;
    }

    /// <summary>The part element <paramref name="element"/> belongs to, and its index within that part.</summary>
    private (int Part, int Local) Locate(int element)
    {
        var part = offsets.Length - 1;
        while (offsets[part] > element) part--;
        return (part, element - offsets[part]);
    }

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
        var penalties = termOffsets[^1] + Parts[^1].Terms.Count;
        for (var g = 0; g < discriminators.Length; g++)
        {
            if (discriminators[g].Kappa == 0) continue;
            var random = new Random.RandomStream(step.Seed, PartStream(step.Stream, Parts.Count + g));
            termSums[penalties + g] = discriminators[g].Fool(Samples(discriminators[g].Group), step.Training, step.Gradients ? elements.Length : 0, ref random);
        }
        if (!step.Gradients) return;
        for (var k = 0; k < Parts.Count; k++)
            if (stepped[k]) Parts[k].FinishBackward();
    }

    /// <summary>
    /// After the optimiser's step on this minibatch: the groups' latents drawn afresh from the updated encoders (training
    /// mode, no gradients), and one step of each discriminator towards telling the plates apart.
    /// </summary>
    public void TrainAdversaries(ReadOnlySpan<int> elements, VariationalStep step)
    {
        if (discriminators.All(d => d.Kappa == 0)) return;
        Cut(elements);
        var fresh = step with { Gradients = false, Stream = step.Stream ^ AdversaryStreams };
        for (var k = 0; k < Parts.Count; k++)
            if (elementsOfPart[k].Count > 0) Parts[k].Encode(elementsOfPart[k].ToArray(), fresh with { Stream = PartStream(fresh.Stream, k) });
        for (var g = 0; g < discriminators.Length; g++)
        {
            if (discriminators[g].Kappa == 0) continue;
            var random = new Random.RandomStream(step.Seed, PartStream(fresh.Stream, Parts.Count + g));
            discriminators[g].Train(Samples(discriminators[g].Group), ref random);
        }
    }

    /// <summary>Each part's samples of the group's latent in the last pass, with the arrays their gradients go to, in part order.</summary>
    private List<(T[] Samples, T[] Gradient, int Rows)> Samples(AdversarialGroup group)
    {
        var plates = new List<(T[], T[], int)>();
        for (var k = 0; k < Parts.Count; k++)
            foreach (var latent in group.Latents)
                if (Parts[k].TryLatentSamples(latent, out var samples, out var gradient, out _))
                    plates.Add((samples, gradient, elementsOfPart[k].Count));
        return plates;
    }

    private static int LatentWidth(IReadOnlyList<IVariationalPart<T>> parts, AdversarialGroup group)
    {
        foreach (var part in parts)
            if (part.TryLatentSamples(group.Latents[0], out _, out _, out var width)) return width;
        throw new ArgumentException($"adversarial group '{group.Group}': no part holds latent '{group.Latents[0]}'");
    }

    public void WriteExtras(BinaryWriter writer)
    {
        foreach (var discriminator in discriminators)
        {
            discriminator.Parameters.Write(writer);
            discriminator.Optimiser.Write(writer);
        }
    }

    public void ReadExtras(BinaryReader reader)
    {
        foreach (var discriminator in discriminators)
        {
            discriminator.Parameters.Read(reader);
            discriminator.Optimiser.Read(reader);
        }
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
