using Dsl.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Dsl.Generators.Diagnostics
{
    /// <summary>A value-equal stand-in for a Roslyn Diagnostic: descriptor id, location and message arguments.</summary>
    public sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new(descriptor.Id, location, EquatableArray.Of(arguments));

        public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ById(Id);

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Arguments.ToArrayOfObjects());

        public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), Arguments.ToArrayOfObjects());

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
    }

    internal static class ArgumentArrayExtensions
    {
        public static object[] ToArrayOfObjects(this EquatableArray<string> items)
        {
            var result = new object[items.Count];
            for (var i = 0; i < result.Length; i++) result[i] = items[i];
            return result;
        }
    }
}
