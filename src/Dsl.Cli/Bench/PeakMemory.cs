namespace Dsl.Cli.Bench;

/// <summary>
/// The process's peak resident set (Linux VmHWM), which can be reset between runs by writing 5 to /proc/self/clear_refs,
/// so each benchmarked run reports its own peak rather than the largest so far. Elsewhere: the runtime's cumulative peak.
/// </summary>
public static class PeakMemory
{
    public static void Reset()
    {
        // Aggressive collection also returns freed segments to the OS, so garbage from before the run is not resident.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException) { }
    }

    public static double Megabytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException) { }
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }
}
