using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Dsl.Runtime.Neural;

/// <summary>Output activations of a head, forward in place and backward from the activated values.</summary>
public static class Activations
{
    public static void Forward<T>(Activation activation, Span<T> row) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity:
                return;
            case Activation.Relu:
                TensorPrimitives.Max(row, T.Zero, row);
                return;
            case Activation.Exp:
                TensorPrimitives.Exp(row, row);
                return;
            case Activation.Softplus:
                for (var j = 0; j < row.Length; j++) row[j] = T.Max(row[j], T.Zero) + T.LogP1(T.Exp(-T.Abs(row[j])));
                return;
            case Activation.Softmax:
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Divide(row, TensorPrimitives.Sum<T>(row), row);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }

    /// <summary>The gradient with respect to the pre-activation, from the activated row <paramref name="y"/>.</summary>
    public static void Backward<T>(Activation activation, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dz)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (activation)
        {
            case Activation.Identity:
                dy.CopyTo(dz);
                return;
            case Activation.Relu:
                for (var j = 0; j < y.Length; j++) dz[j] = y[j] > T.Zero ? dy[j] : T.Zero;
                return;
            case Activation.Exp:
                TensorPrimitives.Multiply(dy, y, dz);
                return;
            case Activation.Softplus:
                // softplus' = logistic(z) = 1 − exp(−softplus(z)).
                for (var j = 0; j < y.Length; j++) dz[j] = dy[j] * -T.ExpM1(-y[j]);
                return;
            case Activation.Softmax:
                TensorPrimitives.Subtract(dy, TensorPrimitives.Dot(dy, y), dz);
                TensorPrimitives.Multiply(dz, y, dz);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }
}
