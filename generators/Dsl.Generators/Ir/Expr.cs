using Dsl.Generators.Diagnostics;
using Dsl.Generators.Helpers;

namespace Dsl.Generators.Ir
{
    /// <summary>
    /// The one expression language of the DSL: node bodies, distribution arguments and (in later stages) log-densities
    /// and gradients. Symbol-free and value-equal.
    /// </summary>
    public abstract record Expr(LocationInfo Location);

    /// <summary>A numeric literal.</summary>
    public sealed record ConstantExpr(double Value, LocationInfo Location) : Expr(Location);

    /// <summary>A plate index variable in scope: a node parameter or a Sum/Categorical lambda parameter.</summary>
    public sealed record IndexExpr(string Name, LocationInfo Location) : Expr(Location);

    /// <summary>One fixed entry of a plate, <c>new Coef(0)</c>: Stan's <c>beta[1]</c>, 0-based as the plate index's value.</summary>
    public sealed record PlateConstantExpr(string Plate, int Value, LocationInfo Location) : Expr(Location);

    /// <summary>A reference to a node evaluated at indices, e.g. <c>A(i, G(l))</c>.</summary>
    public sealed record NodeCallExpr(string Node, EquatableArray<Expr> Indices, LocationInfo Location) : Expr(Location);

    /// <summary>
    /// An elementwise function: one of <see cref="Declared"/> from <c>Fn</c>, or one the lowering writes (Log1mExp,
    /// Expm1, LogPhi, which keep log-probabilities finite where the declared form would round).
    /// </summary>
    public sealed record FunctionExpr(string Function, EquatableArray<Expr> Arguments, LocationInfo Location) : Expr(Location)
    {
        /// <summary>The one-argument functions a declaration may call (<c>Fn.*</c>).</summary>
        public static readonly string[] Declared = { "Logistic", "Exp", "Log", "Log1p", "Sqrt", "Softplus", "Phi" };
    }

    /// <summary>A lambda over one plate, <c>(Gene n) =&gt; body</c>; the argument of Sum and of Categorical.</summary>
    public sealed record LambdaExpr(string Variable, string Plate, Expr Body, LocationInfo Location) : Expr(Location);

    /// <summary>A sum over a plate, <c>Sum((Gene n) =&gt; body)</c>.</summary>
    public sealed record SumExpr(LambdaExpr Over, LocationInfo Location) : Expr(Location)
    {
        /// <summary>
        /// <c>Size&lt;Gene&gt;()</c>, the plate's size, kept as the sum of 1 over it so every rule and emitter that
        /// handles sums handles it; its body is meant not to read the index.
        /// </summary>
        public bool CountsEntries { get; init; }

        public static SumExpr SizeOf(string plate, LocationInfo location) =>
            new(new LambdaExpr("entry", plate, new ConstantExpr(1, location), location), location) { CountsEntries = true };
    }

    /// <summary>
    /// <c>k.Value</c>: an index's zero-based position used as a number (a time trend, an offset into another plate);
    /// only in a node computed from data alone (<see cref="DerivedData"/>), which is evaluated once.
    /// </summary>
    public sealed record IndexValueExpr(string Name, LocationInfo Location) : Expr(Location);

    /// <summary>
    /// <c>new K(k.Value + 1)</c>: the entry of plate K at a computed position, e.g. a column of a matrix past its first;
    /// like <see cref="IndexValueExpr"/>, only in a node computed from data alone, which checks the entry exists.
    /// </summary>
    public sealed record PlateEntryExpr(string Plate, Expr Position, LocationInfo Location) : Expr(Location);

    public sealed record BinaryExpr(char Operator, Expr Left, Expr Right, LocationInfo Location) : Expr(Location);

    public sealed record NegateExpr(Expr Operand, LocationInfo Location) : Expr(Location);

    /// <summary>
    /// A construct the DSL does not understand; kept (rather than dropped) so validation reports it where it stands.
    /// </summary>
    public sealed record UnsupportedExpr(string Text, LocationInfo Location) : Expr(Location)
    {
        /// <summary>A <c>Dist.*</c> call nested inside an expression rather than forming a node's whole body.</summary>
        public bool IsDistribution { get; init; }
    }
}
