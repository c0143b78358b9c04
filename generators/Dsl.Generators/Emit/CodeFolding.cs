namespace Dsl.Generators.Emit
{
    /// <summary>Arithmetic the emitters assemble as C# text, folded where an operand is a literal 0 or 1.</summary>
    public static class CodeFolding
    {
        /// <summary>
        /// <paramref name="left"/> + <paramref name="right"/> as C#, folded where either is a literal zero (an index
        /// offset of 0, a prior's 0.0), so generated code reads <c>x</c> rather than <c>0.0 + x</c>.
        /// </summary>
        public static string Plus(string left, string right) =>
            IsLiteral(left, 0) ? right : IsLiteral(right, 0) ? left : $"{left} + {right}";

        /// <summary><paramref name="left"/> * <paramref name="right"/> as C#, folded where either is a literal one or zero.</summary>
        public static string Times(string left, string right) =>
            IsLiteral(left, 0) || IsLiteral(right, 0) ? "0" : IsLiteral(left, 1) ? right : IsLiteral(right, 1) ? left : $"{left} * {right}";

        private static bool IsLiteral(string code, double value) =>
            double.TryParse(code.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed == value;
    }
}
