using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Members;
using TenantPortal.Core.Notifications;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Components;

/// <summary>
/// bUnit with the real tenant services over a fresh SQLite database holding one tenant with a user of each role
/// (<c>owner@t.test</c>, <c>admin@t.test</c>, <c>member@t.test</c>, <c>viewer@t.test</c>); the tenant is the current one.
/// </summary>
public abstract class TenantComponentTestContext : BunitTestContext, IAsyncLifetime
{
    private readonly Dictionary<TenantRole, string> _userIds = [];

    protected SqliteTestDatabase Database { get; } = new();

    protected TenantContext TenantContext { get; } = new();

    protected CapturingMailSender Mail { get; } = new();

    /// <summary>Portal:PublicUrl of the components under test.</summary>
    protected const string PublicUrl = "https://portal.test";

    /// <summary>The tenant: Starter without a paid subscription (an operator's grant), created on 1 January 2026.</summary>
    protected Tenant Tenant { get; } = new TenantBuilder().WithSlug("bunit-team").Unsubscribed().Build();

    protected TenantComponentTestContext()
    {
        Services.AddSingleton(TenantContext);
        Services.AddSingleton<ITenantContext>(TenantContext);
        Services.AddSingleton<IDbContextFactory<PortalDbContext>>(new TestContextFactory(Database, TenantContext));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<AuditWriter>();
        Services.AddSingleton<IMailSender>(Mail);
        // The portal's addresses as configuration gives them: links in the emails components send are built from them.
        var addresses = new PortalAddresses(Microsoft.Extensions.Options.Options.Create(new TenantPortal.Web.Options.PortalOptions { PublicUrl = PublicUrl }),
            Microsoft.Extensions.Options.Options.Create(new TenantPortal.Web.Options.TenancyOptions()));
        Services.AddSingleton(addresses);
        Services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(addresses);
        Services.AddScoped<MemberService>();
        Services.AddScoped<InvitationMailer>();
        Services.AddScoped<InvitationService>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new TenantPortal.Data.Options.BillingOptions()));
        Services.AddScoped<TenantCreator>();
        Services.AddScoped<TenantService>();
        Services.AddScoped<TenantDeletionService>();
        Services.AddEntitlements(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), TenantPortal.Data.Options.QuotaCacheMode.Local);
        Services.AddScoped<ApiKeyService>();
        Services.AddScoped<AuditQueryService>();
        Services.AddScoped<TenantPortal.Data.Services.Audit.Export.AuditExportService>();
        Services.AddScoped<CurrentUser>();
        Services.AddScoped<TenantPortal.Data.Services.Budgets.SpendBudgetService>();
    }

    /// <summary>The email of the demo user with a role.</summary>
    protected static string EmailOf(TenantRole role) => $"{role.ToString().ToLowerInvariant()}@t.test";

    /// <summary>The demo user with a role, as the services' actor.</summary>
    protected Actor ActorOf(TenantRole role) => new(_userIds[role], EmailOf(role));

    /// <summary>Signs in the user with the role and returns their access to the tenant.</summary>
    protected TenantAccess SignInAs(TenantRole role)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(EmailOf(role));
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, _userIds[role]));
        return new TenantAccess(Tenant.Id, Tenant.Slug, Tenant.Name, Tenant.Tier, Tenant.Status, role);
    }

    /// <summary>Counts the tenant's invitations in the database.</summary>
    protected async Task<int> InvitationCountAsync()
    {
        await using var db = Database.ForTenant(Tenant.Id);
        return await db.Invitations.CountAsync();
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await Database.InitializeAsync();
        await using var db = Database.CrossTenant();
        db.Tenants.Add(Tenant);
        foreach (var role in Enum.GetValues<TenantRole>())
        {
            var email = EmailOf(role);
            var user = new PortalUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                DisplayName = $"{role} Person",
            };
            db.Users.Add(user);
            db.Members.Add(new TenantMember { TenantId = Tenant.Id, UserId = user.Id, Role = role, JoinedAt = Tenant.CreatedAt });
            _userIds[role] = user.Id;
        }
        await db.SaveChangesAsync();
        // As TenantScope does once it has checked the membership.
        TenantContext.SetTenant(Tenant.Id);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }
}
