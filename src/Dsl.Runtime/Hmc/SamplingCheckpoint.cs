using System.Globalization;
using Dsl.Runtime.Data;
using Dsl.Runtime.Models;

namespace Dsl.Runtime.Hmc;

/// <summary>
/// A NUTS run between chunks of iterations: the settings and data fingerprints, the parameters' point estimates and
/// their trace (so a resumed run does not estimate them again), then every chain's state, in a <see cref="SealedFile"/>
/// (checksummed, written atomically). The number of kept draws is not part of the settings: a finished run resumed
/// with more --samples continues its chains, and gives the draws a longer run from the start would have given.
/// </summary>
public static class SamplingCheckpoint
{
    private const string Kind = "dsl-nuts-checkpoint-2";

    public static string Fingerprint(NutsOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"chains={o.Chains};warmup={o.Warmup};adapt_delta={o.TargetAcceptance:R};max_treedepth={o.MaxTreeDepth};init_radius={o.InitRadius:R};metric={o.Metric};seed={o.Seed}");

    public static void Save(CheckpointPlan plan, NutsOptions options, IDeclaredModel model, IReadOnlyList<string> parameters, double[]? trace, IReadOnlyList<NutsChain> chains) =>
        SealedFile.Write(plan.Path, Kind, writer =>
        {
            writer.Write(Fingerprint(options));
            writer.Write(plan.DataFingerprint);
            writer.Write(parameters.Count);
            foreach (var name in parameters)
            {
                var values = new double[model.EntriesOf(name)];
                model.TryRead(name, values);
                writer.Write(name);
                writer.Write(values.Length);
                foreach (var v in values) writer.Write(v);
            }
            writer.Write(trace?.Length ?? -1);
            foreach (var v in trace ?? []) writer.Write(v);
            writer.Write(chains.Count);
            foreach (var chain in chains) chain.Save(writer);
        });

    /// <summary>Restores the parameters into the model, then builds each chain with <paramref name="create"/> and restores it; returns the parameter trace.</summary>
    public static double[]? Load(CheckpointPlan plan, NutsOptions options, IDeclaredModel model, IReadOnlyList<string> parameters, Func<int, NutsChain> create, NutsChain[] chains) =>
        plan.Read(Kind, reader =>
        {
            plan.RequireSameSettings(reader.ReadString(), Fingerprint(options));
            plan.RequireSameData(reader.ReadString());
            var count = reader.ReadInt32();
            if (count != parameters.Count) throw new InvalidDataException($"it holds {count} parameters, this model {parameters.Count}");
            for (var p = 0; p < count; p++)
            {
                var name = reader.ReadString();
                if (name != parameters[p]) throw new InvalidDataException($"it holds parameter '{name}' where this model has '{parameters[p]}'");
                var values = new double[reader.ReadInt32()];
                if (values.Length != model.EntriesOf(name)) throw new InvalidDataException($"parameter '{name}' has {values.Length} entries there, {model.EntriesOf(name)} here");
                for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
                model.Store(name, values);
            }
            var traceLength = reader.ReadInt32();
            double[]? trace = traceLength < 0 ? null : new double[traceLength];
            for (var i = 0; i < traceLength; i++) trace![i] = reader.ReadDouble();
            if (reader.ReadInt32() != chains.Length) throw new InvalidDataException("it holds another number of chains");
            for (var c = 0; c < chains.Length; c++)
            {
                chains[c] = create(c);
                chains[c].Load(reader);
            }
            return trace;
        });
}
