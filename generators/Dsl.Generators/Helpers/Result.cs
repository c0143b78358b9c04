using Dsl.Generators.Diagnostics;

namespace Dsl.Generators.Helpers
{
    /// <summary>A stage's value (null when errors stop it) with the diagnostics it found; value-equal for caching.</summary>
    public sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Diagnostics) where T : class;
}
