using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Options;
using TenantPortal.Data.Options;

namespace TenantPortal.Web.Startup;

/// <summary>
/// Seeds the demo of PRODUCT.md section 8: tenants <c>acme</c> (Professional, Active), <c>globex</c>
/// (Starter, Trial) and <c>initech</c> (Free, near its API quota), four users each, 90 days of usage
/// and the invoices of the closed months, issued by the invoicing code from that usage. Runs once: an existing <c>acme</c> stops it.
/// </summary>
public sealed class DemoDataSeeder(
    PortalDbContext db,
    UserManager<PortalUser> users,
    ITenantContext tenantContext,
    IOptions<DemoOptions> demo,
    IOptions<BillingOptions> billing,
    InvoicingService invoicing,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger)
{
    /// <summary>Days of usage history.</summary>
    public const int HistoryDays = 90;

    private sealed record DemoTenant(string Slug, string Name, SubscriptionTier Tier, TenantStatus Status, UsageProfile Usage);

    // Daily amounts around which the generated usage varies (gauges: start and end level over the 90 days).
    // CurrentPeriodApiCalls, when set, is exactly what the running month has used so far, whatever the day.
    private sealed record UsageProfile(decimal ApiCallsPerDay, decimal GpuHoursPerDay, decimal StorageFrom, decimal StorageTo, decimal StudiesFrom, decimal StudiesTo,
        decimal? CurrentPeriodApiCalls = null);

    /// <summary>What initech has used of its 10,000 API calls this month: 92 %, in the red band.</summary>
    public const decimal InitechCurrentApiCalls = 9_200;

    private static readonly DemoTenant[] Tenants =
    [
        new("acme", "Acme Corporation", SubscriptionTier.Professional, TenantStatus.Active, new(35_000, 6.2m, 620, 880, 38_000, 52_000)),
        new("globex", "Globex", SubscriptionTier.Starter, TenantStatus.Trial, new(2_400, 0.9m, 12, 41, 800, 2_300)),
        new("initech", "Initech", SubscriptionTier.Free, TenantStatus.Active, new(300, 0.12m, 4, 7.5m, 300, 640, InitechCurrentApiCalls)),
    ];

    private static readonly (string Local, TenantRole Role)[] People =
        [("owner", TenantRole.Owner), ("admin", TenantRole.Admin), ("member", TenantRole.Member), ("viewer", TenantRole.Viewer)];

    /// <summary>Seeds everything unless the demo tenant <c>acme</c> exists.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        using var scope = tenantContext.BeginCrossTenantScope("demo data seeding");
        if (await db.Tenants.AnyAsync(t => t.Slug == "acme", cancellationToken))
        {
            await EnsureDemoApiKeyAsync(cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        var random = new Random(2026);
        foreach (var spec in Tenants)
        {
            var tenant = CreateTenant(spec, now);
            db.Tenants.Add(tenant);
            foreach (var (local, role) in People)
            {
                var user = await EnsureUserAsync($"{local}@{spec.Slug}.test", $"{Capitalize(local)} at {spec.Name}", now);
                db.Members.Add(new TenantMember { TenantId = tenant.Id, UserId = user.Id, Role = role, JoinedAt = tenant.CreatedAt });
            }
            var events = GenerateUsage(tenant.Id, spec.Usage, now, random);
            db.UsageEvents.AddRange(events);
            db.PlanSegments.Add(new PlanSegment
            {
                TenantId = tenant.Id, Tier = tenant.Tier, Cycle = tenant.BillingCycle, StartsAt = tenant.CreatedAt,
                Charged = tenant.HasPaidSubscription,
            });
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = tenant.Id, Actor = "system", Action = AuditActions.TenantCreated,
                Target = $"tenant:{spec.Slug}", Details = "demo data", OccurredAt = now,
            });
        }

        // The acme owner also helps out at globex, so the tenant switcher has something to switch.
        var acmeOwner = await users.FindByEmailAsync("owner@acme.test");
        var globex = db.ChangeTracker.Entries<Tenant>().Single(e => e.Entity.Slug == "globex").Entity;
        db.Members.Add(new TenantMember { TenantId = globex.Id, UserId = acmeOwner!.Id, Role = TenantRole.Admin, JoinedAt = now.AddDays(-10) });
        // acme holds a verified domain (Settings, Domains). Its TXT record exists nowhere, so a long-running demo sees the
        // daily recheck fail and, on the third day, un-verify it and tell the admins.
        var acme = db.ChangeTracker.Entries<Tenant>().Single(e => e.Entity.Slug == "acme").Entity;
        var demoDomain = TenantPortal.Core.Domains.TenantDomain.Claim(acme.Id, "acme-demo.example", TenantPortal.Core.Common.SecretHasher.NewToken(24), now.AddDays(-20));
        demoDomain.MarkVerified(now.AddDays(-20));
        db.TenantDomains.Add(demoDomain);

        await db.SaveChangesAsync(cancellationToken);
        await InvoiceHistoryAsync(cancellationToken);
        await EnsureDemoApiKeyAsync(cancellationToken);
        logger.LogInformation("Demo data seeded: {Tenants} tenants with {Days} days of usage", Tenants.Length, HistoryDays);
    }

    // Each demo tenant reaches its state through the tenant's own transitions, as a real one would.
    private Tenant CreateTenant(DemoTenant spec, DateTimeOffset now)
    {
        var createdAt = now.AddDays(-HistoryDays - 30);
        // A paid tier on Trial started its trial 10 days ago: a few days are left.
        var trialEndsAt = now.AddDays(-10).AddDays(billing.Value.TrialDays);
        var tenant = Tenant.Create(spec.Name, spec.Slug, spec.Tier, createdAt, trialEndsAt - createdAt);
        tenant.BillingEmail = $"billing@{spec.Slug}.test";
        if (spec.Status == TenantStatus.Active && spec.Tier != SubscriptionTier.Free)
        {
            // Subscribed when it was created; its monthly periods have renewed since.
            tenant.Subscribe(spec.Tier, BillingCycle.Monthly, createdAt);
            tenant.RenewPeriod(now);
        }
        return tenant;
    }

    private async Task<PortalUser> EnsureUserAsync(string email, string displayName, DateTimeOffset now)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
            return user;
        user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, CreatedAt = now };
        var result = await users.CreateAsync(user, demo.Value.Password);
        if (result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)))
            throw new InvalidSettingException($"{DemoOptions.SectionName}:Password", string.Join(" ", result.Errors.Select(e => e.Description)));
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        return user;
    }

    // Hourly API calls with a working-day rhythm, a few GPU jobs a day, and one gauge reading a day.
    private static List<UsageEvent> GenerateUsage(Guid tenantId, UsageProfile profile, DateTimeOffset now, Random random)
    {
        var events = new List<UsageEvent>();
        var start = PeriodMath.HourStart(now).AddDays(-HistoryDays);
        var sequence = 0;
        UsageEvent Event(UsageMetric metric, decimal quantity, DateTimeOffset at) => new()
        {
            TenantId = tenantId,
            ClientEventId = $"demo-{UsageMetrics.Name(metric)}-{++sequence:D6}",
            Metric = metric,
            Quantity = quantity,
            Timestamp = at,
            ReceivedAt = at.AddSeconds(2),
        };

        for (var hour = start; hour < now; hour = hour.AddHours(1))
        {
            var weekday = hour.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            var daytime = hour.Hour is >= 7 and < 19;
            var weight = (weekday ? 1.15m : 0.6m) * (daytime ? 1.6m : 0.4m);
            var calls = Math.Round(profile.ApiCallsPerDay / 24m * weight * (0.85m + (decimal)random.NextDouble() * 0.3m));
            var at = hour.AddMinutes(59) < now ? hour.AddMinutes(59) : now.AddSeconds(-1);
            events.Add(Event(UsageMetric.ApiCalls, calls, at));
        }
        if (profile.CurrentPeriodApiCalls is { } target)
            ScaleCurrentPeriod(events, PeriodMath.MonthStart(now), target);
        for (var day = start.UtcDateTime.Date.AddDays(1); day < now.UtcDateTime; day = day.AddDays(1))
        {
            var at = new DateTimeOffset(day, TimeSpan.Zero);
            var progress = (decimal)(at - start).TotalDays / HistoryDays;
            for (var job = 0; job < 3; job++)
            {
                var gpu = Math.Round(profile.GpuHoursPerDay / 3m * (0.7m + (decimal)random.NextDouble() * 0.6m), 2);
                var jobAt = at.AddHours(9 + job * 3);
                if (jobAt < now)
                    events.Add(Event(UsageMetric.GpuHours, gpu, jobAt));
            }
            var dayAt = at.AddMinutes(30);
            if (dayAt >= now)
                continue;
            events.Add(Event(UsageMetric.StorageGb, Math.Round(profile.StorageFrom + (profile.StorageTo - profile.StorageFrom) * progress, 1), dayAt));
            events.Add(Event(UsageMetric.Studies, Math.Round(profile.StudiesFrom + (profile.StudiesTo - profile.StudiesFrom) * progress), dayAt));
        }
        return events;
    }

    // Rescales the running month's API-call events so that they add up to exactly the target.
    private static void ScaleCurrentPeriod(List<UsageEvent> events, DateTimeOffset periodStart, decimal target)
    {
        var current = events.Where(e => e.Metric == UsageMetric.ApiCalls && e.Timestamp >= periodStart).ToList();
        var total = current.Sum(e => e.Quantity);
        if (current.Count == 0 || total == 0)
            return;
        foreach (var e in current)
            e.Quantity = Math.Floor(e.Quantity * target / total);
        current[^1].Quantity += target - current.Sum(e => e.Quantity);
    }

    // The closed months are invoiced by the monthly-invoicing code itself, from the seeded usage; then dated as if
    // each had been issued after its grace window and paid two days later.
    private async Task InvoiceHistoryAsync(CancellationToken cancellationToken)
    {
        await invoicing.RunAsync(cancellationToken);
        var invoices = await db.Invoices.ToListAsync(cancellationToken);
        foreach (var invoice in invoices)
        {
            invoice.IssuedAt = invoice.PeriodEnd.AddHours(billing.Value.GraceHours).AddHours(3);
            invoice.DueAt = invoice.IssuedAt.AddDays(InvoiceComposer.PaymentTermDays);
            invoice.Status = InvoiceStatus.Paid;
            invoice.PaidAt = invoice.TotalCents == 0 ? invoice.IssuedAt : invoice.IssuedAt.AddDays(2);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task EnsureDemoApiKeyAsync(CancellationToken cancellationToken)
    {
        var secret = demo.Value.ApiKey;
        if (string.IsNullOrEmpty(secret))
            return;
        var hash = SecretHasher.Sha256Hex(secret);
        if (await db.ApiKeys.AnyAsync(k => k.SecretHash == hash, cancellationToken))
            return;
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme", cancellationToken);
        var owner = await users.FindByEmailAsync("owner@acme.test");
        db.ApiKeys.Add(new ApiKey
        {
            TenantId = acme.Id,
            Name = "Demo key (Demo:ApiKey)",
            Prefix = secret[..ApiKey.PrefixLength],
            SecretHash = hash,
            Scopes = string.Join(' ', ApiKeyScopes.All),
            CreatedAt = time.GetUtcNow(),
            CreatedByUserId = owner?.Id ?? "",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
