using System.Reflection;
using System.Runtime.Loader;

namespace Dsl.Compiler;

/// <summary>
/// A collectible load context for one compiled model assembly, so compiling many models does not leak (Infer.NET#258).
/// Everything else (Dsl.Runtime, Dsl.Abstractions, the BCL) resolves to the host's copies, so types are shared.
/// </summary>
public sealed class ModelLoadContext() : AssemblyLoadContext("dsl-model", isCollectible: true)
{
    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
