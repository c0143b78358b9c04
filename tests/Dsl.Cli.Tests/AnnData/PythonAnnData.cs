using System.Diagnostics;
using Xunit;

namespace Dsl.Cli.Tests.AnnData;

/// <summary>
/// Runs Debian's python3 with anndata to make and read .h5ad files, the format's reference implementation. Where
/// python3-anndata is missing the calling test is skipped with that reason (CI installs it), never passed silently.
/// </summary>
internal static class PythonAnnData
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} is missing";
        var (exit, _, error) = Run("import anndata, h5py, scipy");
        return exit == 0 ? null : $"python3-anndata is missing ({error.Trim().Split('\n')[^1]}); apt-get install python3-anndata";
    });

    public static void RequireOrSkip() => Skip.If(missing.Value is not null, missing.Value);

    /// <summary>Runs a script; fails the test, showing its error, when it exits non-zero.</summary>
    public static string Script(string code)
    {
        var (exit, output, error) = Run(code);
        Assert.True(exit == 0, $"python failed: {error}");
        return output;
    }

    private static (int Exit, string Output, string Error) Run(string code)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(code);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// 90 cells x 25 genes of negative-binomial counts with two batches and three labels: X log-normalised (as scanpy
    /// leaves it), the raw counts in layers["counts"], written with gzip compression.
    /// </summary>
    public static string MakeScanpyLike(string folder, string name = "cells.h5ad", string xKind = "csr")
    {
        var path = Path.Combine(folder, name);
        Script($$"""
            import anndata, numpy as np, scipy.sparse as sp, pandas as pd
            rng = np.random.default_rng(5)
            n, g = 90, 25
            counts = rng.negative_binomial(2, 0.25, (n, g)).astype(np.float32)
            obs = pd.DataFrame({"batch": pd.Categorical(np.where(np.arange(n) % 2 == 0, "b0", "b1")),
                                "labels": pd.Categorical(rng.choice(["T", "B", "NK"], n)),
                                "percent_mito": rng.random(n)}, index=[f"cell{i}" for i in range(n)])
            var = pd.DataFrame(index=[f"gene{j}" for j in range(g)])
            kind = "{{xKind}}"
            if kind == "csr":
                X = sp.csr_matrix(np.log1p(counts / counts.sum(1, keepdims=True) * 1e4))
            elif kind == "csc":
                X = sp.csc_matrix(counts)
            else:
                X = counts
            a = anndata.AnnData(X=X, obs=obs, var=var)
            a.layers["counts"] = sp.csr_matrix(counts)
            a.write_h5ad("{{path}}", compression="gzip")
            """);
        return path;
    }
}
