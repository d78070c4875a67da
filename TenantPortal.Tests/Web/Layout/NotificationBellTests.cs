using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using TenantPortal.Core.Notifications;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Layout;

namespace TenantPortal.Tests.Web.Layout;

/// <summary>The bell over a real SQLite database with a signed-in user who has notices, and another user who has some too.</summary>
public sealed class NotificationBellTests : BunitTestContext, IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly PortalUser _me = User("me@bell.test");
    private readonly PortalUser _other = User("other@bell.test");
    private readonly BunitAuthorizationContext _authorization;

    public NotificationBellTests()
    {
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(new TestContextFactory(_database, new TenantContext()));
        Services.AddScoped<NotificationService>();
        _authorization = AddAuthorization();
        _authorization.SetAuthorized(_me.Email!);
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, _me.Id));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        db.Users.AddRange(_me, _other);
        await db.SaveChangesAsync();
        await AddNoticeAsync(_me, "API calls at 80 % of quota");
        await AddNoticeAsync(_me, "API calls at 90 % of quota");
        await AddNoticeAsync(_me, "Already read", read: true);
        await AddNoticeAsync(_other, "Not mine");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void Bell_ShowsTheSignedInUsersUnreadCount()
    {
        var bell = Render<NotificationBell>();

        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("#notification-bell .mud-badge").TextContent.Trim()));
        Assert.Contains("2 unread", bell.Find("#notification-bell button").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Bell_RefreshesTheCount_OnTheNextTick()
    {
        var bell = Render<NotificationBell>();
        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("#notification-bell .mud-badge").TextContent.Trim()));

        await AddNoticeAsync(_me, "Quota reached");
        _time.Advance(TimeSpan.FromSeconds(15));

        bell.WaitForAssertion(() => Assert.Equal("3", bell.Find("#notification-bell .mud-badge").TextContent.Trim()));
    }

    [Fact]
    public void Bell_HidesTheBadge_WhenNothingIsUnread()
    {
        _authorization.SetAuthorized("nobody@bell.test");
        _authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "someone-without-notices"));

        var bell = Render<NotificationBell>();

        bell.WaitForAssertion(() => Assert.Contains("none unread", bell.Find("#notification-bell button").GetAttribute("aria-label")));
        Assert.Empty(bell.FindAll("#notification-bell .mud-badge"));
    }

    [Fact]
    public void Menu_ListsTheUsersNotices_AndMarkAllRead_ClearsTheBadge()
    {
        var host = Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<NotificationBell>(1);
            b.CloseComponent();
        });
        host.WaitForAssertion(() => Assert.Equal("2", host.Find("#notification-bell .mud-badge").TextContent.Trim()));

        host.Find("#notification-bell button").Click();
        host.WaitForAssertion(() => Assert.Equal(3, host.FindAll(".notification-item").Count));
        Assert.DoesNotContain("Not mine", host.Markup);
        Assert.Equal(2, host.FindAll(".notification-unread").Count);

        host.Find("#notifications-mark-all").Click();

        host.WaitForAssertion(() => Assert.Empty(host.FindAll("#notification-bell .mud-badge")));
        Assert.Empty(host.FindAll(".notification-unread"));
    }

    [Fact]
    public void ClickingANotice_MarksItRead_AndFollowsItsLink()
    {
        var host = Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<NotificationBell>(1);
            b.CloseComponent();
        });
        host.Find("#notification-bell button").Click();
        host.WaitForAssertion(() => Assert.Equal(2, host.FindAll(".notification-unread").Count));

        host.Find(".notification-unread").Click();

        host.WaitForAssertion(() => Assert.Equal("1", host.Find("#notification-bell .mud-badge").TextContent.Trim()));
        Assert.EndsWith("/t/acme/usage", Services.GetRequiredService<NavigationManager>().Uri);
    }

    private static PortalUser User(string email) =>
        new() { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant() };

    private async Task AddNoticeAsync(PortalUser user, string title, bool read = false)
    {
        await using var db = _database.CrossTenant();
        db.Notifications.Add(new Notification
        {
            UserId = user.Id, Title = title, Message = "Acme has used 80,000 of 100,000 calls.", Link = "/t/acme/usage",
            CreatedAt = _time.GetUtcNow(), ReadAt = read ? _time.GetUtcNow() : null,
        });
        await db.SaveChangesAsync();
    }
}
