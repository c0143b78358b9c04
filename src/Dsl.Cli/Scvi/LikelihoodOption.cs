using System.CommandLine;
using Dsl.Models.Scvi;

namespace Dsl.Cli.Scvi;

/// <summary>`--likelihood zinb|nb|poisson`: which declared scVI variant a command fits.</summary>
public static class LikelihoodOption
{
    public static Option<string> Create(string prefix = "")
    {
        var option = new Option<string>("--likelihood")
        {
            Description = prefix + "count distribution: zinb (zero-inflated negative binomial, the paper's), nb (negative binomial) or poisson.",
            DefaultValueFactory = _ => ScviVariants.Name(ScviLikelihood.Zinb),
        };
        option.AcceptOnlyFromAmong(Enum.GetValues<ScviLikelihood>().Select(ScviVariants.Name).ToArray());
        return option;
    }
}
