using System;
using System.Numerics;

namespace Dsl.Runtime.Neural;

/// <summary>A trainable array and its gradient (of the loss, so optimisers descend it).</summary>
public sealed class Parameter<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public Parameter(string name, int length, bool decays = true)
    {
        Name = name;
        Value = new T[length];
        Gradient = new T[length];
        Decays = decays;
    }

    public string Name { get; }
    public T[] Value { get; }
    public T[] Gradient { get; }

    /// <summary>Whether weight decay applies (weights yes; batch-norm scales and shifts no).</summary>
    public bool Decays { get; }

    public void ClearGradient() => Array.Clear(Gradient);
}
