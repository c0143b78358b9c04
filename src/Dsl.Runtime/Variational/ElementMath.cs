using System.Numerics;

namespace Dsl.Runtime.Variational;

/// <summary>The DSL's elementwise functions (Fn.*) for generated code that is generic over float and double.</summary>
public static class ElementMath
{
    public static T Softplus<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

    public static T Logistic<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    /// <summary>Φ(x), the standard normal CDF, evaluated in double precision.</summary>
    public static T Phi<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => T.CreateChecked(Special.SpecialFunctions.NormalCdf(double.CreateChecked(x)));
}
