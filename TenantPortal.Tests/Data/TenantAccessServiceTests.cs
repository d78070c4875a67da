using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

public abstract class TenantAccessServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantAccessServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantAccessServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = TestDatabase.Create(provider);
    private readonly TenantContext _tenant = new();
    private TenantAccessService _service = default!;
    private string _userId = "";
    private Guid _zeta;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var user = new PortalUser { UserName = "u@x.test", Email = "u@x.test" };
        var other = new PortalUser { UserName = "o@x.test", Email = "o@x.test" };
        db.Users.AddRange(user, other);
        var zeta = new TenantBuilder().WithSlug("zeta").Build();
        zeta.Name = "Zeta";
        var alpha = new TenantBuilder().WithSlug("alpha").Build();
        alpha.Name = "Alpha";
        var secret = new TenantBuilder().WithSlug("secret").Build();
        db.Tenants.AddRange(zeta, alpha, secret);
        db.Members.AddRange(
            new TenantMember { TenantId = zeta.Id, UserId = user.Id, Role = TenantRole.Viewer },
            new TenantMember { TenantId = alpha.Id, UserId = user.Id, Role = TenantRole.Owner },
            new TenantMember { TenantId = secret.Id, UserId = other.Id, Role = TenantRole.Owner });
        await db.SaveChangesAsync();
        (_userId, _zeta) = (user.Id, zeta.Id);
        _service = new TenantAccessService(new TestContextFactory(_database, _tenant), _tenant);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ListForUser_ReturnsOnlyTheUsersTenants_ByName_WithTheirRoles()
    {
        var tenants = await _service.ListForUserAsync(_userId, CancellationToken.None);

        Assert.Equal(["alpha", "zeta"], tenants.Select(t => t.Slug));
        Assert.Equal([TenantRole.Owner, TenantRole.Viewer], tenants.Select(t => t.Role));
    }

    [Fact]
    public async Task Enter_SetsTheCurrentTenant_ForAMember()
    {
        var result = await _service.EnterAsync("zeta", _userId, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(TenantRole.Viewer, result.Value.Role);
        Assert.Equal(_zeta, _tenant.TenantId);
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("does-not-exist")]
    public async Task Enter_ReportsNotFound_AndSetsNoTenant_ForANonMemberOrUnknownSlug(string slug)
    {
        var result = await _service.EnterAsync(slug, _userId, signedInWithSecondFactor: false, CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
        Assert.Null(_tenant.TenantId);
    }
}
