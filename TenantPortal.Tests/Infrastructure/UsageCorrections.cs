using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>The usage correction service of a test bed's scope, wired as <c>AddDataServices</c> wires it (observers given by the test).</summary>
public static class UsageCorrections
{
    /// <summary>The service working in the scope's tenant context.</summary>
    public static UsageCorrectionService Service(TenancyTestBed bed, TenancyTestBed.Scope scope, IEnumerable<IUsageIngestObserver>? ingest = null,
        IEnumerable<IUsageCorrectionObserver>? observers = null, RedisQuotaTotals? sharedTotals = null) =>
        new(scope.Contexts, scope.Tenant,
            new UsageCorrectionWriter(bed.CommitBarrier, ingest ?? [], observers ?? [], new AuditWriter(bed.Time), bed.Time,
                NullLogger<UsageCorrectionWriter>.Instance, sharedTotals),
            bed.Time);

    /// <summary>A request of one void of <paramref name="eventId"/>.</summary>
    public static UsageCorrectionRequest Void(string id, string eventId, string reason = "duplicate report") =>
        new(id, reason, [new UsageCorrectionItem(eventId, UsageCorrectionAction.Void)]);

    /// <summary>A request of one backfilled api_calls event an hour before <paramref name="now"/>.</summary>
    public static UsageCorrectionRequest Backfill(string id, string eventId, decimal quantity, DateTimeOffset now) =>
        new(id, "late report", [new UsageCorrectionItem(eventId, UsageCorrectionAction.Backfill, quantity, UsageMetric.ApiCalls, now.AddHours(-1))]);
}
