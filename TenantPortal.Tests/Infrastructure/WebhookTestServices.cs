using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The webhook services over a test bed, built as AddWebhooks builds them (its clock, its mail), with the job queue
/// recorded (<see cref="Jobs"/>) so a test runs the dispatcher and the sender itself, and with a host resolver tests can point.
/// </summary>
public sealed class WebhookTestServices(TenancyTestBed bed, bool allowPrivateAddresses = true, int timeoutSeconds = 2)
{
    /// <summary>One data protection for the bed: secrets protected by one service unprotect in another.</summary>
    private static readonly IDataProtectionProvider Protection = new EphemeralDataProtectionProvider();

    public RecordingWebhookJobs Jobs { get; } = new();

    public PointedResolver Resolver { get; } = new();

    public IOptions<WebhookOptions> Options { get; } =
        Microsoft.Extensions.Options.Options.Create(new WebhookOptions { AllowPrivateAddresses = allowPrivateAddresses, TimeoutSeconds = timeoutSeconds });

    public WebhookSecrets Secrets { get; } = new(Protection);

    private WebhookHttp? _http;

    public WebhookHttp Http => _http ??= new WebhookHttp(Options, Resolver);

    public WebhookEndpointService Endpoints(TenancyTestBed.Scope scope) =>
        new(scope.Contexts, scope.Entitlements, Secrets, new AuditWriter(bed.Time), Options, bed.Time);

    public WebhookDeliveryService Deliveries(TenancyTestBed.Scope scope) =>
        new(scope.Contexts, Endpoints(scope), Jobs, new AuditWriter(bed.Time), bed.Time);

    public WebhookDispatcher Dispatcher() =>
        new(bed.In(null).Contexts, Jobs, bed.Time, NullLogger<WebhookDispatcher>.Instance);

    public WebhookSender Sender() =>
        new(bed.In(null).Contexts, Http, Secrets, Jobs, new WebhookEndpointNotifier(bed.Mail, bed.Addresses, NullLogger<WebhookEndpointNotifier>.Instance),
            new AuditWriter(bed.Time), bed.Time, NullLogger<WebhookSender>.Instance);

    /// <summary>Gives the tenant the <c>webhooks</c> feature by an operator's override (alpha and beta are on Starter).</summary>
    public async Task EntitleAsync(Guid tenantId)
    {
        await using var db = bed.Database.CrossTenant();
        db.EntitlementOverrides.Add(new EntitlementOverride
        {
            TenantId = tenantId, Feature = EntitlementFeatures.Webhooks, Enabled = true, Reason = "webhook tests", CreatedAt = bed.Time.GetUtcNow(), CreatedBy = "test",
        });
        await db.SaveChangesAsync();
        bed.EntitlementCache.Invalidate(tenantId);
    }

    /// <summary>Runs the dispatcher, then every delivery job it queued (and those queued since) that is due now.</summary>
    public async Task DispatchAndSendDueAsync()
    {
        await Dispatcher().DispatchAsync(CancellationToken.None);
        await SendDueAsync();
    }

    /// <summary>Runs every queued delivery job due at the bed's time.</summary>
    public async Task SendDueAsync()
    {
        foreach (var id in Jobs.TakeDue(bed.Time.GetUtcNow()))
            await Sender().SendAsync(id, CancellationToken.None);
    }

    /// <summary>The job queue, recorded.</summary>
    public sealed class RecordingWebhookJobs : IWebhookJobs
    {
        private readonly ConcurrentQueue<(Guid Id, DateTimeOffset? At)> _queued = new();

        public int Nudges;

        public void NudgeDispatch() => Interlocked.Increment(ref Nudges);

        public void Deliver(Guid deliveryId) => _queued.Enqueue((deliveryId, null));

        public void Deliver(Guid deliveryId, DateTimeOffset at) => _queued.Enqueue((deliveryId, at));

        /// <summary>The jobs due at <paramref name="now"/>, removed; later ones stay queued.</summary>
        public List<Guid> TakeDue(DateTimeOffset now)
        {
            var due = new List<Guid>();
            var later = new List<(Guid, DateTimeOffset?)>();
            while (_queued.TryDequeue(out var job))
            {
                if (job.At is null || job.At <= now)
                    due.Add(job.Id);
                else
                    later.Add(job);
            }
            foreach (var job in later)
                _queued.Enqueue(job);
            return due.Distinct().ToList();
        }

        /// <summary>When the jobs still queued are due.</summary>
        public List<DateTimeOffset?> Scheduled => _queued.Select(j => j.At).ToList();
    }

    /// <summary>The system resolver, except for names a test points somewhere.</summary>
    public sealed class PointedResolver : IWebhookHostResolver
    {
        public Dictionary<string, IPAddress[]> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : new SystemWebhookHostResolver().ResolveAsync(host, cancellationToken);
    }
}
