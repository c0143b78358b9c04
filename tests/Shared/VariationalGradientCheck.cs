using Dsl.Runtime.Random;
using Dsl.Runtime.Variational;

namespace Dsl.Tests.Shared;

/// <summary>
/// A variational model's generated gradient against central finite differences, in double precision: a few
/// seeded entries of every trainable parameter array (network weights, batch-norm scales and shifts, model
/// parameters, guide moments). The step's noise and dropout masks are keyed by its stream, so the loss is a
/// deterministic function of the parameters and differences of it are exact up to rounding.
/// </summary>
public static class VariationalGradientCheck
{
    /// <summary>Fails with the first entry whose generated derivative disagrees; returns how many entries were checked.</summary>
    public static int Check(IVariationalModel<double> model, bool training)
    {
        var cells = Enumerable.Range(0, model.Elements).ToArray();
        var step = new VariationalStep(training, true, KlWeight: 0.7, Seed: 11, Stream: 5);
        var terms = new double[model.Terms.Count];
        double Loss()
        {
            model.Step(cells, step with { Gradients = false }, terms);
            var loss = 0.0;
            for (var t = 0; t < terms.Length; t++)
            {
                var weight = model.Terms[t].WarmedUp ? step.KlWeight : 1.0;
                loss -= model.Terms[t].IsDivergence ? -weight * terms[t] : terms[t];
            }
            return loss / cells.Length;
        }
        model.Parameters.ClearGradients();
        model.Step(cells, step, terms);
        var analytic = model.Parameters.Trainable.Select(p => (double[])p.Gradient.Clone()).ToList();
        var picker = new RandomStream(17, 1);
        var checkedEntries = 0;
        for (var p = 0; p < model.Parameters.Trainable.Count; p++)
        {
            var parameter = model.Parameters.Trainable[p];
            for (var pick = 0; pick < Math.Min(4, parameter.Value.Length); pick++)
            {
                var i = (int)(picker.NextDouble() * parameter.Value.Length);
                var original = parameter.Value[i];
                const double h = 1e-6;
                parameter.Value[i] = original + h;
                var up = Loss();
                parameter.Value[i] = original - h;
                var down = Loss();
                parameter.Value[i] = original;
                var numeric = (up - down) / (2 * h);
                // Central differences at h = 1e-6 carry ~1e-10 absolute rounding error on losses of order 10;
                // 1e-6 relative leaves room for that and for curvature (h² terms) without hiding a wrong formula.
                var tolerance = 1e-6 + 1e-5 * Math.Abs(numeric);
                if (Math.Abs(analytic[p][i] - numeric) > tolerance)
                    throw new Xunit.Sdk.XunitException($"{parameter.Name}[{i}] ({(training ? "training" : "evaluation")} mode): generated {analytic[p][i]:G9}, finite difference {numeric:G9}");
                checkedEntries++;
            }
        }
        return checkedEntries;
    }
}
