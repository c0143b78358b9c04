using PureHDF;

namespace Dsl.Runtime.Data.AnnData;

/// <summary>
/// Reads a whole HDF5 tree (groups, datasets, attributes) into PureHDF's writable objects, so an input .h5ad can be
/// written again with a fit's results added. Numeric, string and anndata's boolean (enum FALSE/TRUE) elements are
/// carried, scalar or of any rank; an element of another type (compound, reference, opaque) is left out and named.
/// </summary>
internal static class H5Copy
{
    /// <summary>anndata reads a bool only as HDF5's enum of FALSE/TRUE (a C# bool would be written as uint8).</summary>
    public enum H5Bool : byte { FALSE = 0, TRUE = 1 }

    public static H5Group Group(IH5Group group, string path, List<string> leftOut)
    {
        var copy = new H5Group();
        foreach (var child in group.Children())
        {
            var childPath = path + "/" + child.Name;
            object? item = child switch
            {
                IH5Group sub => Group(sub, childPath, leftOut),
                IH5Dataset dataset => Dataset(dataset, childPath, leftOut),
                _ => null,
            };
            if (item is null) leftOut.Add(childPath);
            else copy[child.Name] = item;
        }
        copy.Attributes = Attributes(group, path, leftOut);
        return copy;
    }

    private static H5Dataset? Dataset(IH5Dataset dataset, string path, List<string> leftOut)
    {
        var dims = dataset.Space.Dimensions;
        var data = Values(dataset.Type, dims.Length == 0, new Reader(() => dataset.Read<float[]>(), () => dataset.Read<double[]>(),
            () => dataset.Read<sbyte[]>(), () => dataset.Read<byte[]>(), () => dataset.Read<short[]>(), () => dataset.Read<ushort[]>(),
            () => dataset.Read<int[]>(), () => dataset.Read<uint[]>(), () => dataset.Read<long[]>(), () => dataset.Read<ulong[]>(),
            () => dataset.Read<string[]>(), () => dataset.Read<float>(), () => dataset.Read<double>(), () => dataset.Read<long>(), () => dataset.Read<string>()));
        if (data is null) return null;
        return new H5Dataset(data, fileDims: dims.Length <= 1 ? null : dims) { Attributes = Attributes(dataset, path, leftOut) };
    }

    private static Dictionary<string, object> Attributes(IH5Object item, string path, List<string> leftOut)
    {
        var attributes = new Dictionary<string, object>();
        foreach (var attribute in item.Attributes())
        {
            var value = Values(attribute.Type, attribute.Space.Rank == 0, new Reader(() => attribute.Read<float[]>(), () => attribute.Read<double[]>(),
                () => attribute.Read<sbyte[]>(), () => attribute.Read<byte[]>(), () => attribute.Read<short[]>(), () => attribute.Read<ushort[]>(),
                () => attribute.Read<int[]>(), () => attribute.Read<uint[]>(), () => attribute.Read<long[]>(), () => attribute.Read<ulong[]>(),
                () => attribute.Read<string[]>(), () => attribute.Read<float>(), () => attribute.Read<double>(), () => attribute.Read<long>(), () => attribute.Read<string>()));
            if (value is null) leftOut.Add($"{path} (attribute {attribute.Name})");
            else attributes[attribute.Name] = value;
        }
        return attributes;
    }

    /// <summary>One way to read each stored type, so datasets and attributes share the dispatch on class, size and sign.</summary>
    private sealed record Reader(Func<float[]> Floats, Func<double[]> Doubles, Func<sbyte[]> SBytes, Func<byte[]> Bytes, Func<short[]> Shorts,
        Func<ushort[]> UShorts, Func<int[]> Ints, Func<uint[]> UInts, Func<long[]> Longs, Func<ulong[]> ULongs, Func<string[]> Strings,
        Func<float> Float, Func<double> Double, Func<long> Long, Func<string> String);

    private static object? Values(IH5DataType type, bool scalar, Reader read)
    {
        switch (type.Class)
        {
            case H5DataTypeClass.FloatingPoint:
                return (type.Size, scalar) switch { (4, false) => read.Floats(), (8, false) => read.Doubles(), (4, true) => read.Float(), (8, true) => read.Double(), _ => null };
            case H5DataTypeClass.FixedPoint when scalar:
                return type.Size == 8 && type.FixedPoint.IsSigned ? read.Long() : null;
            case H5DataTypeClass.FixedPoint:
                return (type.Size, type.FixedPoint.IsSigned) switch
                {
                    (1, true) => read.SBytes(), (1, false) => read.Bytes(), (2, true) => read.Shorts(), (2, false) => read.UShorts(),
                    (4, true) => read.Ints(), (4, false) => read.UInts(), (8, true) => read.Longs(), (8, false) => read.ULongs(), _ => null,
                };
            case H5DataTypeClass.String or H5DataTypeClass.VariableLength:
                return scalar ? read.String() : read.Strings();
            case H5DataTypeClass.Enumerated when type.Size == 1:
                // anndata's booleans: the enum FALSE = 0 / TRUE = 1.
                return scalar ? (H5Bool)read.Bytes()[0] : Array.ConvertAll(read.Bytes(), b => (H5Bool)b);
            default:
                return null;
        }
    }
}
