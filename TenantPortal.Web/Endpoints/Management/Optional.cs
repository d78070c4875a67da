namespace TenantPortal.Web.Endpoints.Management;

/// <summary>A field of a partial update: absent (leave as it is) or present with a value (which may be null: clear it).</summary>
/// <typeparam name="T">The field's type.</typeparam>
public readonly record struct Optional<T>(T Value)
{
    /// <summary>True when the field was sent.</summary>
    public bool IsPresent { get; private init; } = true;

    /// <summary>The field was not sent.</summary>
    public static Optional<T> Absent => new(default!) { IsPresent = false };

    /// <summary>The sent value, or <paramref name="current"/> when the field was absent.</summary>
    public T Or(T current) => IsPresent ? Value : current;
}
