namespace Dsl.Runtime.Inference;

/// <summary>Scratch arrays one worker thread reuses across the elements of a sweep, so sampling allocates nothing per element.</summary>
public sealed class Workspace(int doubles, int bytes = 0)
{
    public double[] Doubles { get; } = new double[doubles];
    public byte[] Bytes { get; } = new byte[bytes];
}
