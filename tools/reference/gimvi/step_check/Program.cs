using System.Reflection;
using System.Text.Json;
using Dsl.Analysis.Gimvi;
using Dsl.Models.Gimvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

// One training-mode joint minibatch of the bundled gimVI (Poisson spatial counts) in double precision, on a simulated
// pair: the counts, the parameters before the step and their gradients, the ELBO and adversarial terms, and the step's
// reparameterisation noise and ReLU-times-dropout masks (private to the generated classes and the discriminator, read
// here by reflection). compare_step.py recomputes the step with PyTorch's autograd.
//   dotnet run -c Release -- step.json [kappa] [kl-weight]
if (args.Length < 1) { Console.Error.WriteLine("usage: out.json [kappa] [kl-weight]"); return 2; }
var kappa = args.Length > 1 ? double.Parse(args[1]) : 5;
var klWeight = args.Length > 2 ? double.Parse(args[2]) : 0.3;
var pair = GimviSimulator.Simulate(new GimviSimulationSettings { SequencedCells = 64, SpatialCells = 48, Genes = 40, SpatialGenes = 12, HeldOutGenes = 3, Seed = 4 }).Inputs;
var model = GimviFitter.Prepare(pair, SpatialLikelihood.Poisson);
var family = ((Gimvi)model).CreateJointVariational<double>(7);
foreach (var discriminator in family.Discriminators) discriminator.Kappa = kappa;
var values = family.Parameters.Trainable.ToDictionary(p => p.Name, p => p.Value.ToArray());
var adversary = family.Discriminators[0];
var adversaryValues = adversary.Parameters.Trainable.ToDictionary(p => p.Name, p => p.Value.ToArray());
family.Parameters.ClearGradients();
var sums = new double[family.Terms.Count];
var elements = Enumerable.Range(0, family.Elements).ToArray();
family.Step(elements, new VariationalStep(true, true, klWeight, 11, 5), sums);

object Field(object owner, string name) =>
    owner.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(owner) ?? throw new MissingFieldException(owner.GetType().Name, name);
double[] Prefix(object array, int length) => ((double[])array)[..length];
double[][] Masks(object trunk, int rows)
{
    var hidden = (int)trunk.GetType().GetProperty("Hidden")!.GetValue(trunk)!;
    return ((double[][])Field(trunk, "masks")).Select(mask => mask[..(rows * hidden)]).ToArray();
}
object EncoderTrunk(object part, string encoder) => Field(part, encoder).GetType().GetProperty("Trunk")!.GetValue(Field(part, encoder))!;
double[][] Dense(CountMatrix counts) => Enumerable.Range(0, counts.Cells).Select(c => Enumerable.Range(0, counts.Genes).Select(g => counts[c, g]).ToArray()).ToArray();
var (sequenced, spatial) = ((object)family.Parts[0], (object)family.Parts[1]);
var (n, m) = (pair.Sequenced.Cells, pair.Spatial.Cells);

File.WriteAllText(args[0], JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["kappa"] = kappa, ["klWeight"] = klWeight, ["terms"] = family.Terms.Select(t => t.Name).ToArray(), ["sums"] = sums,
    ["x"] = Dense(pair.Sequenced), ["xSpatial"] = Dense(pair.Spatial), ["geneOf"] = pair.GeneOf, ["spatialLibrary"] = pair.SpatialLibrary(),
    ["libraryLogMean"] = ((Gimvi)model).libraryLogMeanValues, ["libraryLogVar"] = ((Gimvi)model).libraryLogVarValues,
    ["values"] = values, ["grads"] = family.Parameters.Trainable.ToDictionary(p => p.Name, p => p.Gradient.ToArray()), ["adversary"] = adversaryValues,
    ["zNoise"] = Prefix(Field(sequenced, "zNoise"), n * GimviFitter.DefaultLatent), ["lNoise"] = Prefix(Field(sequenced, "lNoise"), n),
    ["zSpatialNoise"] = Prefix(Field(spatial, "zSpatialNoise"), m * GimviFitter.DefaultLatent),
    ["zMasks"] = Masks(EncoderTrunk(sequenced, "zEncoder"), n), ["lMasks"] = Masks(EncoderTrunk(sequenced, "lEncoder"), n),
    ["rhoMasks"] = Masks(Field(sequenced, "rhoTrunk"), n), ["dropoutMasks"] = Masks(Field(sequenced, "dropoutLogitTrunk"), n),
    ["zSpatialMasks"] = Masks(EncoderTrunk(spatial, "zSpatialEncoder"), m), ["rhoSpatialMasks"] = Masks(Field(spatial, "rhoTrunk"), m),
    ["adversaryMasks"] = kappa > 0 ? Masks(Field(adversary, "trunk"), n + m) : [], // at kappa 0 the discriminator does not run
}));
Console.WriteLine(string.Join(", ", family.Terms.Select((t, i) => $"{t.Name} {sums[i]:R}")));
return 0;
