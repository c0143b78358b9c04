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

    public IReadOnlyList<Parameter<T>> Trainable => parameters;

    public Parameter<T> Add(string name, int length, bool decays = true)
    {
        if (parameters.Any(p => p.Name == name)) throw new ArgumentException($"parameter '{name}' is registered twice");
        var parameter = new Parameter<T>(name, length, decays);
        parameters.Add(parameter);
        return parameter;
    }

    public T[] AddState(string name, int length)
    {
        var values = new T[length];
        states.Add((name, values));
        return values;
    }

    /// <summary>Registers a batch-norm layer, whose running statistics are among the state arrays.</summary>
    public void AddNormalisation(BatchNorm<T> layer) => normalisations.Add(layer);

    public bool HasNormalisation => normalisations.Count > 0;

    /// <summary>Every batch-norm layer pools its training-mode statistics from now on (see <see cref="BatchNorm{T}"/>).</summary>
    public void BeginPopulationStatistics() => normalisations.ForEach(n => n.BeginPopulationStatistics());

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
