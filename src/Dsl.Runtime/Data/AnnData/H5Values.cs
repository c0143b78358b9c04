using PureHDF;

namespace Dsl.Runtime.Data.AnnData;

/// <summary>
/// Reads HDF5 datasets and attributes whatever their stored width: PureHDF decodes only into a type of the stored
/// size, while h5py writes int8 to int64 and float32 or float64 depending on the data. Failures name the object.
/// </summary>
internal static class H5Values
{
    public static double[] Numbers(IH5Dataset dataset, string path, string file)
    {
        var type = dataset.Type;
        return (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => Array.ConvertAll(dataset.Read<float[]>(), v => (double)v),
            (H5DataTypeClass.FloatingPoint, 8) => dataset.Read<double[]>(),
            (H5DataTypeClass.FixedPoint, _) => Integers(dataset, path, file).Select(v => (double)v).ToArray(),
            _ => throw new DataFormatException(file, null, $"'{path}' holds {type.Class} values of {type.Size} bytes, not numbers",
                "write it as an integer or float array (anndata does)"),
        };
    }

    public static long[] Integers(IH5Dataset dataset, string path, string file)
    {
        var type = dataset.Type;
        if (type.Class != H5DataTypeClass.FixedPoint)
            throw new DataFormatException(file, null, $"'{path}' holds {type.Class} values, not integers", "write it as an integer array (anndata does)");
        var signed = type.FixedPoint.IsSigned;
        return (type.Size, signed) switch
        {
            (1, true) => Array.ConvertAll(dataset.Read<sbyte[]>(), v => (long)v),
            (1, false) => Array.ConvertAll(dataset.Read<byte[]>(), v => (long)v),
            (2, true) => Array.ConvertAll(dataset.Read<short[]>(), v => (long)v),
            (2, false) => Array.ConvertAll(dataset.Read<ushort[]>(), v => (long)v),
            (4, true) => Array.ConvertAll(dataset.Read<int[]>(), v => (long)v),
            (4, false) => Array.ConvertAll(dataset.Read<uint[]>(), v => (long)v),
            (8, true) => dataset.Read<long[]>(),
            (8, false) => Array.ConvertAll(dataset.Read<ulong[]>(), v => checked((long)v)),
            _ => throw new DataFormatException(file, null, $"'{path}' holds integers of {type.Size} bytes", "write it with 1, 2, 4 or 8 byte integers"),
        };
    }

    public static string[] Strings(IH5Dataset dataset, string path, string file) =>
        dataset.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength
            ? dataset.Read<string[]>()
            : throw new DataFormatException(file, null, $"'{path}' holds {dataset.Type.Class} values, not strings", "write names as a string array (anndata does)");

    /// <summary>A string attribute, or null when absent or not a string (h5py writes an empty string list as float64).</summary>
    public static string? StringAttribute(IH5Object item, string name) =>
        item.AttributeExists(name) && item.Attribute(name) is { Type.Class: H5DataTypeClass.String or H5DataTypeClass.VariableLength } attribute
            && attribute.Space.Rank == 0
            ? attribute.Read<string>()
            : null;

    /// <summary>A list-of-strings attribute (column-order); an empty list may be stored as a zero-length float64 array.</summary>
    public static string[] StringListAttribute(IH5Object item, string name)
    {
        if (!item.AttributeExists(name)) return [];
        var attribute = item.Attribute(name);
        if (attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 0) return [];
        return attribute.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength ? attribute.Read<string[]>() : [];
    }

    public static long[] IntegerListAttribute(IH5Object item, string name, string path, string file)
    {
        if (!item.AttributeExists(name)) throw new DataFormatException(file, null, $"'{path}' has no '{name}' attribute", "write the file with anndata 0.8 or later");
        var attribute = item.Attribute(name);
        return attribute.Type is { Class: H5DataTypeClass.FixedPoint, Size: 8 }
            ? attribute.Read<long[]>()
            : Array.ConvertAll(attribute.Read<int[]>(), v => (long)v);
    }
}
