using System;
using System.Linq;
using System.Numerics;

namespace Dsl.Runtime.Neural;

/// <summary>
/// A copy of everything training changes (parameter values, batch-norm running statistics, Adam's moments and step
/// count) that an epoch can be rolled back to after a NaN. The copies are allocated once and overwritten by each
/// <see cref="Capture"/>: a serialised snapshot per epoch left tens of megabytes of large-object garbage behind at
/// 2,000 genes, which showed in the run's peak memory.
/// </summary>
public sealed class TrainingSnapshot<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly Adam<T> adam;
    private readonly T[][] live;
    private readonly T[][] saved;
    private long steps;

    public TrainingSnapshot(ParameterSet<T> parameters, Adam<T> adam)
    {
        this.adam = adam;
        live = parameters.Arrays.Concat(adam.Moments).ToArray();
        saved = live.Select(a => new T[a.Length]).ToArray();
        Capture();
    }

    public void Capture()
    {
        for (var i = 0; i < live.Length; i++) live[i].AsSpan().CopyTo(saved[i]);
        steps = adam.Steps;
    }

    /// <summary>Puts the captured state back; the optimiser's learning rate is left as it is.</summary>
    public void Restore()
    {
        for (var i = 0; i < live.Length; i++) saved[i].AsSpan().CopyTo(live[i]);
        adam.Steps = steps;
    }
}
