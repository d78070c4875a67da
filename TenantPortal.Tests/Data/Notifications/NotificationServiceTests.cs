using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Notifications;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Notifications;

/// <summary>Notices belong to a user: each method reads and changes only the given user's rows.</summary>
public abstract class NotificationServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : NotificationServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : NotificationServiceTests(DatabaseProvider.PostgreSql);

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private NotificationService _service = default!;
    private Guid _ownersNotice;
    private Guid _adminsNotice;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        // Notices are not tenant-owned: a context without a tenant sees them, as the bell's does.
        _service = new NotificationService(new TestContextFactory(_bed.Database, new TenantContext()), _bed.Time);
        _ownersNotice = await AddAsync("owner", "For the owner", minutesAgo: 5);
        await AddAsync("owner", "Older, for the owner", minutesAgo: 60);
        _adminsNotice = await AddAsync("admin", "For the admin", minutesAgo: 1);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private string Id(string name) => _bed.Users[name].Id;

    [Fact]
    public async Task ListAsync_ReturnsOnlyTheUsersOwn_NewestFirst()
    {
        var list = await _service.ListAsync(Id("owner"), 10, CancellationToken.None);

        Assert.Equal(["For the owner", "Older, for the owner"], list.Select(n => n.Title).ToList());
    }

    [Fact]
    public async Task ListAsync_ReturnsAtMostTake()
    {
        var list = await _service.ListAsync(Id("owner"), 1, CancellationToken.None);

        Assert.Equal("For the owner", Assert.Single(list).Title);
    }

    [Fact]
    public async Task UnreadCountAsync_CountsOnlyTheUsersOwnUnread()
    {
        Assert.Equal(2, await _service.UnreadCountAsync(Id("owner"), CancellationToken.None));
        Assert.Equal(1, await _service.UnreadCountAsync(Id("admin"), CancellationToken.None));
        Assert.Equal(0, await _service.UnreadCountAsync(Id("member"), CancellationToken.None));
    }

    [Fact]
    public async Task MarkReadAsync_MarksTheNotice_WhenItIsTheUsers()
    {
        var result = await _service.MarkReadAsync(Id("owner"), _ownersNotice, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(1, await _service.UnreadCountAsync(Id("owner"), CancellationToken.None));
        var read = (await _service.ListAsync(Id("owner"), 10, CancellationToken.None)).Single(n => n.Id == _ownersNotice);
        Assert.Equal(_bed.Time.GetUtcNow(), read.ReadAt);
    }

    [Fact]
    public async Task MarkReadAsync_IsNotFound_AndChangesNothing_WhenTheNoticeIsAnotherUsers()
    {
        var result = await _service.MarkReadAsync(Id("admin"), _ownersNotice, CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
        Assert.Equal(2, await _service.UnreadCountAsync(Id("owner"), CancellationToken.None));
    }

    [Fact]
    public async Task MarkAllReadAsync_MarksOnlyTheUsersOwn()
    {
        var marked = await _service.MarkAllReadAsync(Id("owner"), CancellationToken.None);

        Assert.Equal(2, marked);
        Assert.Equal(0, await _service.UnreadCountAsync(Id("owner"), CancellationToken.None));
        Assert.Equal(1, await _service.UnreadCountAsync(Id("admin"), CancellationToken.None));
        await using var db = _bed.Database.CrossTenant();
        Assert.Null((await db.Notifications.SingleAsync(n => n.Id == _adminsNotice)).ReadAt);
    }

    private async Task<Guid> AddAsync(string user, string title, int minutesAgo)
    {
        await using var db = _bed.Database.CrossTenant();
        var notice = new Notification
        {
            UserId = Id(user), TenantId = _bed.AlphaId, Title = title, Message = "Something happened.", Link = "/t/alpha/usage",
            CreatedAt = _bed.Time.GetUtcNow().AddMinutes(-minutesAgo),
        };
        db.Notifications.Add(notice);
        await db.SaveChangesAsync();
        return notice.Id;
    }
}
