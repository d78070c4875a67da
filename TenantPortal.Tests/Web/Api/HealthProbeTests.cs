using System.Diagnostics;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

/// <summary>The container health check runs the portal's own probe mode; it must tell up from down.</summary>
[Collection(PortalCollection.Name)]
public class HealthProbeTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Probe_ExitsZero_WhenThePortalIsLive()
    {
        Assert.Equal(0, await ProbeAsync(new Uri(portal.ServerAddress, "/health/live").ToString()));
    }

    [Fact]
    public async Task Probe_ExitsOne_WhenNothingAnswers()
    {
        Assert.Equal(1, await ProbeAsync("http://127.0.0.1:9/health/live"));
    }

    private static async Task<int> ProbeAsync(string url)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TenantPortal.Web.dll"), "--health-probe", url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(TestTimeouts.Token());
        return process.ExitCode;
    }
}
