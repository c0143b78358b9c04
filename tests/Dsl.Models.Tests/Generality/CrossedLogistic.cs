using static Dsl.Fn;

namespace Dsl.Models.Tests.Generality;

/// <summary>
/// Crossed effects in one logistic predictor: a slope per column on a row covariate (the primary Pólya-Gamma block,
/// one column at a time), beside an intercept shared by every entry, an effect per row, an effect per group read
/// through each column's group, and an effect of each entry. None of the last four belongs to one column, so each is
/// a crossed block, drawn from every entry that reads it (all of them, one row, one group's columns, or itself).
/// </summary>
[PlateModel("logistic regression with crossed row, column and group effects")]
public partial class CrossedLogistic
{
    [Plate] public partial struct Row { }
    [Plate] public partial struct Column { }
    [Plate] public partial struct Group { }

    [Data] public partial double x(Row r);
    [Data] public partial Group groupOf(Column c);
    [Param, Positive] public partial double slopeVariance();
    [Latent] public double intercept() => Dist.Normal(0, 1.5);
    [Latent] public double slope(Column c) => Dist.Normal(0, Sqrt(slopeVariance()));
    [Latent] public double rowEffect(Row r) => Dist.Normal(0, 1);
    [Latent] public double groupEffect(Group k) => Dist.Normal(0, 1);
    [Latent] public double entryEffect(Row r, Column c) => Dist.Normal(0, 0.5);
    [Observed] public int y(Row r, Column c) => Dist.Bernoulli(logit: intercept() + slope(c) * x(r) + rowEffect(r) + groupEffect(groupOf(c)) + entryEffect(r, c));
}
