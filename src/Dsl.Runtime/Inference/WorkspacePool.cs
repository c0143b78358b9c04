using System.Collections.Concurrent;

namespace Dsl.Runtime.Inference;

/// <summary>
/// Workspaces kept between sweeps: each parallel loop of a sweep rents one per worker and returns it, so the scratch
/// of thousands of sweeps is a few arrays that stay in cache, not fresh garbage every sweep.
/// </summary>
public sealed class WorkspacePool
{
    private readonly ConcurrentBag<Workspace> idle = new();

    /// <summary>An idle workspace with at least the given sizes, or a new one.</summary>
    public Workspace Rent(int doubles, int bytes = 0)
    {
        while (idle.TryTake(out var workspace))
        {
            if (workspace.Doubles.Length >= doubles && workspace.Bytes.Length >= bytes) return workspace;
        }
        return new Workspace(doubles, bytes);
    }

    public void Return(Workspace workspace) => idle.Add(workspace);
}
