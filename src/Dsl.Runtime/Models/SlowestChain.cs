namespace Dsl.Runtime.Models;

/// <summary>Reports the slowest chain's iteration each time it advances, so progress reads as one run.</summary>
internal sealed class SlowestChain(int[] done, IProgress<int> overall)
{
    private int reported = done.Min();

    public IProgress<int> For(int chain) => new Chain(this, chain);

    private void Advance(int chain, int iteration)
    {
        lock (done)
        {
            done[chain] = iteration;
            var slowest = done.Min();
            if (slowest <= reported) return;
            reported = slowest;
            overall.Report(slowest);
        }
    }

    private sealed class Chain(SlowestChain owner, int chain) : IProgress<int>
    {
        public void Report(int value) => owner.Advance(chain, value);
    }
}
