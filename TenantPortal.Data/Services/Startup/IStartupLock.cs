namespace TenantPortal.Data.Services.Startup;

/// <summary>
/// A lock for the whole database, held by one instance at a time while it does a start-up step that every instance
/// does and only one may do first (e.g. creating the first Data Protection key). Held by a connection of its own, so
/// that the step's own statements (on other connections) are not blocked by it. One implementation per provider,
/// registered by <c>AddDataServices</c>.
/// </summary>
public interface IStartupLock
{
    /// <summary>Waits for the lock named <paramref name="name"/> and holds it until the result is disposed.</summary>
    Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken);
}
