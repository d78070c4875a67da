using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>bUnit with MudBlazor: loose JS interop, MudBlazor services, disposed asynchronously (MudBlazor services are IAsyncDisposable).</summary>
public abstract class BunitTestContext : BunitContext, IAsyncLifetime
{
    protected BunitTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // WaitForAssertion/WaitForState and unconfigured JS calls wait this long (bUnit's default is 1 s).
        DefaultWaitTimeout = TestTimeouts.Generous;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
