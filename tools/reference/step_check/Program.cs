using System.Reflection;
using System.Text.Json;
using Dsl.Runtime.Models;
using Dsl.Analysis.Scvi;
using Dsl.Models.Scvi;
using Dsl.Runtime.Data;
using Dsl.Runtime.Variational;

// One training-mode minibatch of a bundled scVI variant in double precision: the parameters before the step, their
// gradients, the ELBO terms, and the step's reparameterisation noise and ReLU-times-dropout masks, which are private
// to the generated class and read here by reflection. compare_step.py recomputes the step with PyTorch's autograd.
//   dotnet run -c Release -- counts.csv cells.csv step.json [zinb|nb|poisson] [kl-weight]
if (args.Length < 3) { Console.Error.WriteLine("usage: counts.csv cells.csv out.json [zinb|nb|poisson] [kl-weight]"); return 2; }
var lines = File.ReadAllLines(args[0]);
var genes = lines[0].Split(',').Skip(1).ToArray();
var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
var dense = new double[rows.Length, genes.Length];
for (var r = 0; r < rows.Length; r++) for (var g = 0; g < genes.Length; g++) dense[r, g] = double.Parse(rows[r][g + 1]);
var counts = CountMatrix.FromDense(dense, rows.Select(r => r[0]).ToArray(), genes);
var batchOf = File.ReadAllLines(args[1]).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => p[1]);
var levels = batchOf.Values.Distinct().Order().ToList();
var batch = rows.Select(r => levels.IndexOf(batchOf[r[0]])).ToArray();
var likelihood = ScviVariants.Parse(args.Length > 3 ? args[3] : "zinb");
var klWeight = args.Length > 4 ? double.Parse(args[4]) : 0.3;
var model = ScviFitter.Prepare(new ScviInputs(counts, batch, levels), ScviFitter.DefaultLatent, likelihood: likelihood);
IVariationalModel<double> step = model switch
{
    Scvi zinb => new Scvi.Variational<double>(zinb, 7),
    ScviNb nb => new ScviNb.Variational<double>(nb, 7),
    ScviPoisson poisson => new ScviPoisson.Variational<double>(poisson, 7),
    _ => throw new InvalidOperationException(),
};
var values = step.Parameters.Trainable.ToDictionary(p => p.Name, p => p.Value.ToArray());
step.Parameters.ClearGradients();
var sums = new double[step.Terms.Count];
step.Step(Enumerable.Range(0, rows.Length).ToArray(), new VariationalStep(true, true, klWeight, 11, 5), sums);

object Field(object owner, string name) =>
    owner.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(owner) ?? throw new MissingFieldException(owner.GetType().Name, name);
double[] Prefix(object array, int length) => ((double[])array)[..length];
double[] Mask(object trunk) => Prefix(((double[][])Field(trunk, "masks"))[0], rows.Length * 128);
object Trunk(string encoder) => Field(step, encoder).GetType().GetProperty("Trunk")!.GetValue(Field(step, encoder))!;

File.WriteAllText(args[2], JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["likelihood"] = ScviVariants.Name(likelihood), ["klWeight"] = klWeight, ["terms"] = step.Terms.Select(t => t.Name).ToArray(), ["sums"] = sums,
    ["values"] = values, ["grads"] = step.Parameters.Trainable.ToDictionary(p => p.Name, p => p.Gradient.ToArray()),
    ["batch"] = batch, ["libraryLogMean"] = model.Read("libraryLogMean"), ["libraryLogVar"] = model.Read("libraryLogVar"),
    ["zNoise"] = Prefix(Field(step, "zNoise"), rows.Length * ScviFitter.DefaultLatent), ["lNoise"] = Prefix(Field(step, "lNoise"), rows.Length),
    ["zMask"] = Mask(Trunk("zEncoder")), ["lMask"] = Mask(Trunk("lEncoder")), ["rhoMask"] = Mask(Field(step, "rhoTrunk")),
}));
Console.WriteLine(string.Join(", ", step.Terms.Select((t, i) => $"{t.Name} {sums[i]:R}")));
return 0;
