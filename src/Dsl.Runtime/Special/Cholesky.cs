namespace Dsl.Runtime.Special;

/// <summary>Small dense symmetric positive definite systems, row-major: A = L Lᵀ in place, and A x = b from the factor.</summary>
public static class Cholesky
{
    /// <summary>Overwrites the lower triangle of the n × n matrix <paramref name="m"/> with L; refuses a matrix that is not positive definite.</summary>
    public static void Factor(Span<double> m, int n, string what)
    {
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var s = m[a * n + b];
                for (var k = 0; k < b; k++) s -= m[a * n + k] * m[b * n + k];
                if (a == b)
                {
                    if (!(s > 0)) throw new InvalidOperationException($"{what} is not positive definite");
                    m[a * n + a] = Math.Sqrt(s);
                }
                else
                {
                    m[a * n + b] = s / m[b * n + b];
                }
            }
        }
    }

    /// <summary>Solves L Lᵀ x = b given <see cref="Factor"/>'s L, x replacing b.</summary>
    public static void Solve(ReadOnlySpan<double> factor, Span<double> b, int n)
    {
        for (var a = 0; a < n; a++)
        {
            var s = b[a];
            for (var k = 0; k < a; k++) s -= factor[a * n + k] * b[k];
            b[a] = s / factor[a * n + a];
        }
        for (var a = n - 1; a >= 0; a--)
        {
            var s = b[a];
            for (var k = a + 1; k < n; k++) s -= factor[k * n + a] * b[k];
            b[a] = s / factor[a * n + a];
        }
    }
}
