using System.Globalization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/usage/history</c>: the rolled-up usage by hour, day or month, paged (usage:read).</summary>
public static class UsageHistoryApiEndpoints
{
    /// <summary>One rolled-up period of one metric.</summary>
    /// <param name="Metric">The metric: <c>api_calls</c>, <c>storage_gb</c>, <c>gpu_hours</c> or <c>studies</c>.</param>
    /// <param name="PeriodStart">The period's first instant (UTC).</param>
    /// <param name="PeriodEnd">The first instant after it.</param>
    /// <param name="Quantity">Counters (api_calls, gpu_hours): the period's sum; gauges (storage_gb, studies): the last level reported in it.</param>
    /// <param name="Granularity">The period's size: <c>hour</c>, <c>day</c> or <c>month</c>.</param>
    public sealed record UsageHistoryItem(string Metric, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, decimal Quantity, string Granularity);

    /// <summary>A page of the usage history, oldest period first.</summary>
    /// <param name="Items">The periods of this page.</param>
    /// <param name="NextCursor">Pass as <c>cursor</c> (with the same filters) for the next page; null on the last page.</param>
    /// <param name="From">The range's start used (inclusive), the default when none was given.</param>
    /// <param name="To">The range's end used (exclusive).</param>
    public sealed record UsageHistoryResponse(IReadOnlyList<UsageHistoryItem> Items, string? NextCursor, DateTimeOffset From, DateTimeOffset To);

    /// <summary>Maps the route on the API group.</summary>
    public static RouteGroupBuilder MapUsageHistoryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage/history", GetAsync).WithTags("Usage").WithName("GetUsageHistory").WithSummary("Usage over time, from the rollups")
            .WithDescription("Needs usage:read. The rolled-up periods starting in [from, to), oldest first, one item per metric and period that has usage "
                + "(periods without usage are left out; events reach the rollups within a minute or so of being reported). granularity: hour, day "
                + "(default) or month; metric: one of api_calls, storage_gb, gpu_hours, studies, or absent for all. from/to: ISO-8601 instants "
                + "(UTC, e.g. 2026-11-01T00:00:00Z); to defaults to now, from to the start of the billing period (calendar month) of to, or 11 months "
                + "earlier for month. The range spans at most 31 days of hours, 366 days of days or 60 months. Paged by limit (1-100, default 50) and cursor.")
            .Produces<UsageHistoryResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageRead));
        return api;
    }

    /// <summary><c>GET /api/v1/usage/history</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, UsageHistoryService history, string? metric, string? from, string? to, string? granularity,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = Parse(metric, from, to, granularity, limit, cursor);
        if (!query.IsSuccess)
            return ApiProblems.From(query.Error);
        var page = await history.QueryAsync(ApiCaller.Actor(http), query.Value, cancellationToken);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error);
        var p = page.Value;
        return TypedResults.Ok(new UsageHistoryResponse(
            p.Items.Select(i => new UsageHistoryItem(UsageMetrics.Name(i.Metric), i.PeriodStart, i.PeriodEnd, i.Quantity, i.Granularity.ToString().ToLowerInvariant())).ToList(),
            p.Next is { } next ? ApiPaging.Encode(KeyText(next)) : null, p.From, p.To));
    }

    private static Result<UsageHistoryQuery> Parse(string? metric, string? from, string? to, string? granularity, string? limit, string? cursor)
    {
        UsageMetric? chosen = null;
        if (metric is not null)
        {
            var clean = PlainText.Check(metric, "metric", "The metric");
            if (!clean.IsSuccess)
                return clean.Error;
            if (!UsageMetrics.TryParse(metric, out var parsed))
                return Error.Invalid("metric", $"'{metric}' is not a metric; use api_calls, storage_gb, gpu_hours or studies.");
            chosen = parsed;
        }
        RollupGranularity size;
        switch (granularity)
        {
            case null or "day": size = RollupGranularity.Day; break;
            case "hour": size = RollupGranularity.Hour; break;
            case "month": size = RollupGranularity.Month; break;
            default: return Error.Invalid("granularity", "granularity must be hour, day or month.");
        }
        var start = Instant(from, "from");
        if (!start.IsSuccess)
            return start.Error;
        var end = Instant(to, "to");
        if (!end.IsSuccess)
            return end.Error;
        var paging = ApiPaging.Parse(limit, cursor);
        if (!paging.IsSuccess)
            return paging.Error;
        UsageHistoryKey? after = null;
        if (paging.Value.After is { } text)
        {
            var parts = text.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || ticks > DateTimeOffset.MaxValue.UtcTicks)
                return Error.Invalid("cursor", "cursor is not one this API returned; start again without it.");
            after = new UsageHistoryKey(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }
        return new UsageHistoryQuery(chosen, size, start.Value, end.Value, paging.Value.Limit, after);
    }

    private static Result<DateTimeOffset?> Instant(string? value, string name)
    {
        if (value is null)
            return (DateTimeOffset?)null;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return Error.Invalid(name, $"{name} must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z.");
        return (DateTimeOffset?)at;
    }

    private static string KeyText(UsageHistoryKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.PeriodStart.UtcTicks}:{key.RollupId}");
}
