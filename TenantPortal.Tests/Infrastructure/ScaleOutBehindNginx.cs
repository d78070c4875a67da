namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The scale-out cluster (<see cref="ScaleOutCluster"/>: three portal processes on one PostgreSQL database) behind nginx
/// over HTTPS (<see cref="NginxFrontDoor"/>), configured as deploy/local-cluster.sh configures its portals:
/// <c>Portal:PublicUrl</c> is nginx's https address and <c>ForwardedHeaders:KnownProxies</c> trusts loopback, where
/// nginx connects from. Shared by a test class; everything is stopped at the end.
/// </summary>
public sealed class ScaleOutBehindNginx : IAsyncLifetime
{
    private readonly Uri _address = NginxFrontDoor.FreeAddress();

    public ScaleOutBehindNginx() =>
        Cluster = new ScaleOutCluster(new Dictionary<string, string>
        {
            ["Portal:PublicUrl"] = _address.GetLeftPart(UriPartial.Authority),
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });

    /// <summary>The portal processes and their database.</summary>
    public ScaleOutCluster Cluster { get; }

    /// <summary>nginx in front of them.</summary>
    public NginxFrontDoor Nginx { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Nginx = await NginxFrontDoor.StartAsync(_address, Cluster.Instances.Select(i => i.Address));
    }

    public async Task DisposeAsync()
    {
        if (Nginx is not null)
            await Nginx.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
