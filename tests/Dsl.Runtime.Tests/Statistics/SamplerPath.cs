namespace Dsl.Runtime.Tests.Statistics;

/// <summary>Which implementation a sampler test drives: the scalar reference or the Vector256 batch path.</summary>
public enum SamplerPath
{
    Scalar,
    Vector,
}
