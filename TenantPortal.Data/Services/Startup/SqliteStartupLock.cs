namespace TenantPortal.Data.Services.Startup;

/// <summary>
/// SQLite: nothing to take. An SQLite database is one instance's (one process per file: the embedded default), so no
/// other instance does its start-up steps at the same time.
/// </summary>
public sealed class SqliteStartupLock : IStartupLock
{
    /// <inheritdoc />
    public Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(Held.Nothing);

    private sealed class Held : IAsyncDisposable
    {
        public static readonly Held Nothing = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
