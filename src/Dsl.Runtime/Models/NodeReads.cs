using Dsl.Runtime.Inference;

namespace Dsl.Runtime.Models;

/// <summary>
/// A node's values by its declared name, as a flat row-major array over its plates: what analysis code reads from a
/// fitted model, so that it binds to the declaration's nodes rather than to generated member names.
/// </summary>
public static class NodeReads
{
    /// <summary>A parameter's estimate, or a data or observed node's values; throws where the node has none.</summary>
    public static double[] Read(this IDeclaredModel model, string node)
    {
        var values = new double[Length(model, node)];
        return model.TryRead(node, values) ? values : throw new InvalidOperationException($"{model.Descriptor.Name} holds no values of '{node}'");
    }

    /// <summary>A scalar node's value.</summary>
    public static double ReadScalar(this IDeclaredModel model, string node) => Read(model, node)[0];

    /// <summary>A latent's posterior mean over the last E-step of a Gibbs-EM fit.</summary>
    public static double[] PosteriorMean(this IDeclaredModel model, string node)
    {
        if (model is not IGibbsEmModel gibbs) throw new InvalidOperationException($"{model.Descriptor.Name} is not fitted by Gibbs-EM, which records posterior means");
        var values = new double[Length(model, node)];
        return gibbs.TryReadPosteriorMean(node, values) ? values : throw new InvalidOperationException($"{model.Descriptor.Name} has recorded no posterior mean of '{node}'");
    }

    private static int Length(IDeclaredModel model, string node)
    {
        var descriptor = model.Descriptor.Find(node) ?? throw new ArgumentException($"{model.Descriptor.Name} has no node '{node}'");
        return descriptor.Plates.Aggregate(1, (size, plate) => size * model.GetPlateSize(plate));
    }
}
