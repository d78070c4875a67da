using Prometheus;

namespace TenantPortal.Web.Observability;

/// <summary>
/// The portal's Prometheus metrics, in a registry of their own (served at <c>/metrics</c>): ingestion, duplicates,
/// quota denials, rate-limited requests, job runs and failures, and per-tenant quota use and estimated cost.
/// </summary>
public sealed class PortalMetrics : TenantPortal.Data.Services.Metering.IUsageReportObserver
{
    private readonly Counter _eventsIngested;
    private readonly Counter _duplicates;
    private readonly Counter _quotaDenials;
    private readonly Counter _rateLimited;
    private readonly Counter _jobRuns;
    private readonly Counter _jobFailures;
    private readonly Gauge _quotaPercentage;
    private readonly Gauge _estimatedCost;
    private readonly Gauge _rollupLag;

    /// <summary>Creates the metrics in a new registry.</summary>
    public PortalMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _eventsIngested = factory.CreateCounter("tenantportal_usage_events_ingested_total", "Usage events stored.");
        _duplicates = factory.CreateCounter("tenantportal_usage_events_duplicate_total", "Usage events refused as duplicates of an id already stored.");
        _quotaDenials = factory.CreateCounter("tenantportal_quota_denials_total", "Quota checks answered 429.", "metric", "reason");
        _rateLimited = factory.CreateCounter("tenantportal_rate_limited_requests_total", "API requests refused by the per-tenant rate limit.");
        _jobRuns = factory.CreateCounter("tenantportal_job_runs_total", "Background job runs.", "job");
        _jobFailures = factory.CreateCounter("tenantportal_job_failures_total", "Background job runs that failed.", "job");
        _quotaPercentage = factory.CreateGauge("tenantportal_tenant_quota_percentage", "Share of a tenant's quota used this period (unlimited quotas are not reported).", "tenant", "metric");
        _rollupLag = factory.CreateGauge("tenantportal_metering_rollup_lag_seconds", "How long the oldest usage event not rolled up yet has waited.");
        _estimatedCost = factory.CreateGauge("tenantportal_tenant_estimated_cost_cents", "A tenant's estimated cost of the running period, in cents.", "tenant");
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts a stored batch: events stored and events refused as duplicates.</summary>
    public void Ingested(int accepted, int duplicates)
    {
        _eventsIngested.Inc(accepted);
        _duplicates.Inc(duplicates);
    }

    /// <summary>Counts a refused quota check.</summary>
    public void QuotaDenied(string metric, string reason) => _quotaDenials.WithLabels(metric, reason).Inc();

    /// <summary>Counts a request refused by the rate limit.</summary>
    public void RateLimited() => _rateLimited.Inc();

    /// <summary>Counts a job run and, when it failed, a failure.</summary>
    public void JobRan(string job, bool failed)
    {
        _jobRuns.WithLabels(job).Inc();
        if (failed)
            _jobFailures.WithLabels(job).Inc();
    }

    /// <summary>Publishes a tenant's quota use per metric and estimated cost, labelled by tenant id.</summary>
    public void Observe(Guid tenantId, TenantPortal.Data.Services.Metering.UsageReport report)
    {
        var tenant = tenantId.ToString();
        foreach (var metric in report.Metrics)
            TenantQuota(tenant, TenantPortal.Core.Usage.UsageMetrics.Name(metric.Metric), metric.Percentage);
        TenantCost(tenant, report.EstimatedTotalCents);
    }

    /// <summary>Publishes a tenant's quota use of a metric (null removes it: unlimited).</summary>
    public void TenantQuota(string tenant, string metric, decimal? percentage)
    {
        if (percentage is { } p)
            _quotaPercentage.WithLabels(tenant, metric).Set((double)p);
        else
            _quotaPercentage.RemoveLabelled(tenant, metric);
    }

    /// <summary>Publishes the rollup lag.</summary>
    public void RollupLag(TimeSpan lag) => _rollupLag.Set(lag.TotalSeconds);

    /// <summary>Publishes a tenant's estimated cost of the period.</summary>
    public void TenantCost(string tenant, long cents) => _estimatedCost.WithLabels(tenant).Set(cents);
}
