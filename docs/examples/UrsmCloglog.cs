using Dsl;
using static Dsl.Fn;

namespace Examples;

/// <summary>
/// URSM with a complementary log-log dropout link, pi = 1 - exp(-exp(kappa + tau A)): the chance of detecting a gene
/// saturates faster than the logistic as expression grows. Everything else is the bundled declaration's.
/// </summary>
[PlateModel("URSM with a complementary log-log dropout link", Extends = typeof(Dsl.Models.Ursm.Ursm))]
public partial class UrsmCloglog
{
    public double pi(Gene i, Cell l) => 1 - Exp(-Exp(kappa(l) + tau(l) * A(i, G(l))));
}
