using Dsl.Runtime.Graph;

namespace Dsl.Runtime.Models;

/// <summary>The values a node may hold, from its constraints and the distribution it is drawn from.</summary>
public enum ValueSupport
{
    Real,
    Positive,
    NonNegative,
    UnitInterval,
    /// <summary>
    /// Strictly between 0 and 1: a value drawn from a continuous distribution on the unit interval (a Beta), whose
    /// density at 0 and 1 is 0 or infinite.
    /// </summary>
    OpenUnitInterval,
    Count,
    Binary,
    /// <summary>An index into a plate: 1-based in data files (Stan's convention), 0-based in storage.</summary>
    PlateIndex,
    /// <summary>Any integer (an <c>int</c> data node with no distribution).</summary>
    Integer,
}

/// <summary>
/// One node as the generator describes it for binding and output: its role, the plates it ranges over (in declared
/// order, row-major), and what values it may hold. A data node's support can come from its use
/// (<paramref name="SupportFrom"/>: "the sd of y, line 14"), where it is read whole as a distribution's argument.
/// <paramref name="Informed"/> is false for a latent or parameter no observation depends on (diagnostic DSL0309):
/// the data say nothing about it, so no estimate of it is reported. <paramref name="IntegratedInto"/> names the
/// observation a latent was integrated out of (a Gamma rate out of its Poisson count, which leaves a negative
/// binomial): the engine draws no value of it.
/// </summary>
public sealed record NodeDescriptor(
    string Name,
    GraphNodeRole Role,
    IReadOnlyList<string> Plates,
    ValueSupport Support,
    string? IndexPlate,
    string? SimplexOver,
    double? Floor,
    int Line,
    string? SupportFrom = null,
    bool Informed = true,
    string? IntegratedInto = null)
{
    public bool IsInteger => Support is ValueSupport.Count or ValueSupport.Binary or ValueSupport.PlateIndex or ValueSupport.Integer;

    /// <summary>Nodes whose values a data file may hold: data, observed, and parameters (as starting values).</summary>
    public bool IsBindable => Role is GraphNodeRole.Data or GraphNodeRole.Observed or GraphNodeRole.Param;

    /// <summary>The node as the declaration writes it: <c>A(Gene, Type)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Plates)})";
}

/// <summary>A model's plates and nodes, in the declaration's dependency order: what <c>dsl fit model.cs</c> binds data to.</summary>
/// <param name="DeclaredSizes">sizes the declaration fixes (<c>[Plate(Size = 2)]</c>), by plate</param>
/// <param name="ExchangeablePlates">
/// plates whose entries the declaration cannot tell apart (a mixture's components with identical priors): the
/// samplers align their labels across chains and draws before summarising (<see cref="LabelAlignment"/>)
/// </param>
public sealed record ModelDescriptor(string Name, IReadOnlyList<string> Plates, IReadOnlyList<NodeDescriptor> Nodes, IReadOnlyDictionary<string, int>? DeclaredSizes = null,
    IReadOnlyList<string>? ExchangeablePlates = null)
{
    public NodeDescriptor? Find(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public bool HasPlate(string name) => Plates.Contains(name);
}
