using Dsl.Runtime.Hmc;
using Dsl.Runtime.Models;

namespace Dsl.Runtime.Optimisation;

/// <summary>
/// Every parameter of a model as one vector of unconstrained coordinates, where the optimiser moves: a real entry as
/// itself, a [Positive] entry as u with x = floor + exp(u), a [Simplex] row as u with
/// x = floor + (1 − K·floor)·softmax(u) along its plate. Gradients are carried from the constrained values to u by
/// the chain rule; nothing is clamped, so every iterate satisfies the constraints exactly.
/// </summary>
public sealed class UnconstrainedParameters
{
    private readonly IDeclaredModel model;
    private readonly Block[] blocks;

    public UnconstrainedParameters(IDeclaredModel model, IReadOnlyList<string> names)
    {
        this.model = model;
        var offset = 0;
        blocks = names.Select(name =>
        {
            var node = model.Descriptor.Find(name) ?? throw new InvalidOperationException($"parameter '{name}' is not in the model's descriptor");
            var shape = node.Plates.Select(model.GetPlateSize).ToArray();
            var block = new Block(node, shape, offset);
            offset += block.Values.Length;
            return block;
        }).ToArray();
        Length = offset;
    }

    public int Length { get; }

    /// <summary>The unconstrained coordinates of the stored values; a value outside its constraint is refused, naming it.</summary>
    public void Read(Span<double> free)
    {
        foreach (var block in blocks)
        {
            if (!model.TryRead(block.Node.Name, block.Values)) throw new InvalidOperationException($"parameter '{block.Node.Name}' has no stored value");
            block.Unconstrain(free.Slice(block.Offset, block.Values.Length));
        }
    }

    /// <summary>Stores the constrained values at <paramref name="free"/> in the model.</summary>
    public void Write(ReadOnlySpan<double> free)
    {
        foreach (var block in blocks)
        {
            block.Constrain(free.Slice(block.Offset, block.Values.Length));
            model.Store(block.Node.Name, block.Values);
        }
    }

    /// <summary>∂f/∂u from the objective's ∂f/∂x at the values last written, times <paramref name="scale"/> (−1 turns a log likelihood into a loss).</summary>
    public void Gradient(IPosterior objective, Span<double> gradient, double scale)
    {
        foreach (var block in blocks)
        {
            if (!objective.TryReadParameterGradient(block.Node.Name, block.Gradient)) throw new InvalidOperationException($"the objective has no gradient for '{block.Node.Name}'");
            block.ChainRule(gradient.Slice(block.Offset, block.Values.Length), scale);
        }
    }

    /// <summary>The first parameter whose gradient holds a non-finite entry, with the entry (row-major), or null.</summary>
    public (string Node, int Entry)? NonFinite(ReadOnlySpan<double> gradient)
    {
        foreach (var block in blocks)
            for (var e = 0; e < block.Values.Length; e++)
                if (!double.IsFinite(gradient[block.Offset + e])) return (block.Node.Name, e);
        return null;
    }

    /// <summary>One parameter: its values, its gradient, and the layout of its simplex rows.</summary>
    private sealed class Block
    {
        private readonly double floor;
        private readonly int axisLength, axisStride;

        public Block(NodeDescriptor node, int[] shape, int offset)
        {
            Node = node;
            Offset = offset;
            var length = shape.Aggregate(1, (a, b) => checked(a * b));
            (Values, Gradient) = (new double[length], new double[length]);
            floor = node.Floor ?? 0;
            if (node.SimplexOver is { } over)
            {
                var axis = node.Plates.ToList().IndexOf(over);
                axisLength = shape[axis];
                axisStride = shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
            }
        }

        public NodeDescriptor Node { get; }
        public int Offset { get; }
        public double[] Values { get; }
        public double[] Gradient { get; }

        private bool IsSimplex => Node.SimplexOver is not null;
        private bool IsPositive => !IsSimplex && Node.Support == ValueSupport.Positive;

        /// <summary>The share of a simplex row above the floors: 1 − K·floor.</summary>
        private double Free => 1 - axisLength * floor;

        public void Unconstrain(Span<double> free)
        {
            for (var e = 0; e < Values.Length; e++)
            {
                var x = Values[e];
                free[e] = IsSimplex ? Math.Log((x - floor) / Free) : IsPositive ? Math.Log(x - floor) : x;
                if (!double.IsFinite(free[e]))
                    throw new InvalidDataException($"parameter '{Node.Name}' starts at {x} (entry {e + 1}), outside its constraint{(floor > 0 ? $" above the floor {floor}" : "")}; give a starting value inside it");
            }
        }

        public void Constrain(ReadOnlySpan<double> free)
        {
            if (!IsSimplex)
            {
                for (var e = 0; e < Values.Length; e++) Values[e] = IsPositive ? floor + Math.Exp(free[e]) : free[e];
                return;
            }
            foreach (var start in RowStarts())
            {
                var max = double.NegativeInfinity;
                for (var k = 0; k < axisLength; k++) max = Math.Max(max, free[start + k * axisStride]);
                var total = 0.0;
                for (var k = 0; k < axisLength; k++) total += Values[start + k * axisStride] = Math.Exp(free[start + k * axisStride] - max);
                for (var k = 0; k < axisLength; k++) Values[start + k * axisStride] = floor + Free * Values[start + k * axisStride] / total;
            }
        }

        /// <summary>∂/∂u = ∂/∂x·(x − floor) on the log scale; on a simplex row ∂/∂u_k = s_k·(g_k − Σ_j s_j g_j)·(1 − K·floor), s the softmax.</summary>
        public void ChainRule(Span<double> gradient, double scale)
        {
            if (!IsSimplex)
            {
                for (var e = 0; e < Values.Length; e++) gradient[e] = scale * (IsPositive ? Gradient[e] * (Values[e] - floor) : Gradient[e]);
                return;
            }
            foreach (var start in RowStarts())
            {
                var mean = 0.0;
                for (var k = 0; k < axisLength; k++) mean += (Values[start + k * axisStride] - floor) / Free * Gradient[start + k * axisStride];
                for (var k = 0; k < axisLength; k++)
                {
                    var at = start + k * axisStride;
                    gradient[at] = scale * (Values[at] - floor) * (Gradient[at] - mean);
                }
            }
        }

        /// <summary>The first entry of every simplex row: all positions whose index along the simplex plate is 0.</summary>
        private IEnumerable<int> RowStarts()
        {
            var block = axisLength * axisStride;
            for (var outer = 0; outer < Values.Length; outer += block)
                for (var inner = 0; inner < axisStride; inner++) yield return outer + inner;
        }
    }
}
