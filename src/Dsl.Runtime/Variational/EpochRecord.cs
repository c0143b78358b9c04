namespace Dsl.Runtime.Variational;

/// <summary>One epoch of a VI fit: per-cell means of each ELBO term on the training and validation cells.</summary>
public sealed record EpochRecord(int Epoch, double KlWeight, double[] Training, double TrainingElbo, double[] Validation, double ValidationElbo, double Seconds);

/// <summary>A finished (or early-stopped) VI fit.</summary>
public sealed record VariationalResult(IReadOnlyList<EpochRecord> History, int[] TrainingCells, int[] ValidationCells, bool StoppedEarly, int Restarts);
