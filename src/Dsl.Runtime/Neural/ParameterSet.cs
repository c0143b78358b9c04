using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;

namespace Dsl.Runtime.Neural;

/// <summary>
/// Every trainable parameter of a model (what the optimiser updates and the checkpoint saves) and every
/// non-trainable state array (batch-norm running statistics) that a checkpoint must also restore.
/// </summary>
public sealed class ParameterSet<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly List<Parameter<T>> parameters = new();
    private readonly List<(string Name, T[] Values)> states = new();
    private readonly List<BatchNorm<T>> normalisations = new();
    private int sharing;

    public IReadOnlyList<Parameter<T>> Trainable => parameters;

    /// <summary>
    /// Until the scope is disposed, a name already registered gives the arrays registered under it (of the same
    /// length) instead of an error: how two networks share weights, e.g. one decoder applied to two cell plates.
    /// Their gradients then add up in the one array.
    /// </summary>
    public IDisposable ShareByName()
    {
        sharing++;
        return new SharingScope(this);
    }

    public Parameter<T> Add(string name, int length, bool decays = true)
    {
        if (parameters.FirstOrDefault(p => p.Name == name) is { } existing)
            return sharing > 0 && existing.Value.Length == length
                ? existing
                : throw new ArgumentException(sharing > 0
                    ? $"parameter '{name}' is shared with {existing.Value.Length} values but {length} are asked for"
                    : $"parameter '{name}' is registered twice");
        var parameter = new Parameter<T>(name, length, decays);
        parameters.Add(parameter);
        return parameter;
    }

    public T[] AddState(string name, int length)
    {
        var index = states.FindIndex(s => s.Name == name);
        if (index >= 0)
            return sharing > 0 && states[index].Values.Length == length
                ? states[index].Values
                : throw new ArgumentException($"state '{name}' is registered twice");
        var values = new T[length];
        states.Add((name, values));
        return values;
    }

    private sealed class SharingScope(ParameterSet<T> owner) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            owner.sharing--;
        }
    }

    /// <summary>Registers a batch-norm layer, whose running statistics are among the state arrays.</summary>
    public void AddNormalisation(BatchNorm<T> layer) => normalisations.Add(layer);

    public bool HasNormalisation => normalisations.Count > 0;

    /// <summary>
    /// Every batch-norm layer pools its training-mode statistics from now on (see <see cref="BatchNorm{T}"/>); layers
    /// that share running statistics pool into one, so the shared statistics cover every cell plate that passes.
    /// </summary>
    public void BeginPopulationStatistics()
    {
        for (var i = 0; i < normalisations.Count; i++)
        {
            var first = normalisations.FindIndex(n => n.SharesStatisticsWith(normalisations[i]));
            normalisations[i].BeginPopulationStatistics(first < i ? normalisations[first].Population! : new PooledMoments(normalisations[i].Features));
        }
    }

    /// <summary>Every batch-norm layer's running statistics become the pooled ones.</summary>
    public void EndPopulationStatistics() => normalisations.ForEach(n => n.EndPopulationStatistics());

    /// <summary>Every array a checkpoint holds: the trainable values, then the state arrays.</summary>
    public IEnumerable<T[]> Arrays => parameters.Select(p => p.Value).Concat(states.Select(s => s.Values));

    public long Count => parameters.Sum(p => (long)p.Value.Length);

    public void ClearGradients()
    {
        foreach (var parameter in parameters) parameter.ClearGradient();
    }

    public void Write(BinaryWriter writer)
    {
        foreach (var (name, values) in parameters.Select(p => (p.Name, p.Value)).Concat(states))
        {
            writer.Write(name);
            writer.Write(values.Length);
            foreach (var value in values) writer.Write(double.CreateTruncating(value));
        }
    }

    public void Read(BinaryReader reader)
    {
        foreach (var (name, values) in parameters.Select(p => (p.Name, p.Value)).Concat(states))
        {
            var stored = reader.ReadString();
            var length = reader.ReadInt32();
            if (stored != name || length != values.Length)
                throw new InvalidDataException($"saved parameter '{stored}' ({length} values) does not match '{name}' ({values.Length} values)");
            for (var i = 0; i < length; i++) values[i] = T.CreateTruncating(reader.ReadDouble());
        }
    }
}
