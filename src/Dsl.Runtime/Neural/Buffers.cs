using System;

namespace Dsl.Runtime.Neural;

/// <summary>Work arrays sized for the largest minibatch seen so far: a training loop allocates nothing per step.</summary>
public static class Buffers
{
    public static T[] Ensure<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[length];
        return array;
    }
}
