using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace Dsl.Generators.Helpers
{
    /// <summary>An immutable array with value equality, so IR records compare by content and the pipeline caches.</summary>
    public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    {
        private readonly ImmutableArray<T> items;

        public EquatableArray(ImmutableArray<T> items) { this.items = items; }

        public static EquatableArray<T> Empty => new(ImmutableArray<T>.Empty);

        public ImmutableArray<T> Items => items.IsDefault ? ImmutableArray<T>.Empty : items;
        public int Count => Items.Length;
        public T this[int index] => Items[index];

        public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);
        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            var hash = 17;
            foreach (var item in Items) hash = unchecked(hash * 31 + (item?.GetHashCode() ?? 0));
            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);
        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }

    public static class EquatableArray
    {
        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(items.ToImmutableArray());
        public static EquatableArray<T> Of<T>(params T[] items) => new(items.ToImmutableArray());
    }
}
