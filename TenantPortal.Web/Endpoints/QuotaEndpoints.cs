using System.Globalization;
using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Endpoints.Management;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints;

/// <summary>Quota checks and the period's usage under <c>/api/v1</c>.</summary>
public static class QuotaEndpoints
{
    /// <summary>The quota check's body: <c>reason</c> only when refused.</summary>
    public sealed record QuotaCheckResponse(bool Allowed, decimal Used, decimal Limit, decimal? Remaining, DateTimeOffset ResetsAt, bool Overage,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason);

    /// <summary>One metric of <c>GET /usage/current</c>.</summary>
    public sealed record MetricUsageResponse(string Metric, decimal Used, decimal Limit, decimal? Percentage, string Band, decimal Overage, long OverageCostCents);

    /// <summary>The body of <c>GET /usage/current</c>; money in integer cents.</summary>
    public sealed record CurrentUsageResponse(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<MetricUsageResponse> Metrics, long BaseCents, long EstimatedCostCents);

    /// <summary>The body of <c>POST /quota/check</c> (documentation; the parser reads it strictly).</summary>
    /// <param name="Metric">api_calls, gpu_hours, storage_gb, studies or users.</param>
    /// <param name="Amount">How much the caller is about to use (≥ 0).</param>
    public sealed record QuotaCheckBody(string Metric, decimal Amount);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapQuotaEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/quota/check", CheckAsync).WithTags("Usage").WithName("CheckQuota").WithSummary("May the tenant use this much now?")
            .WithDescription("200 when allowed; 429 with the same body plus reason and a Retry-After header (seconds to the period's reset) when not. Reflects usage ingested up to the moment of the call.")
            .AcceptsJson<QuotaCheckBody>().Produces<QuotaCheckResponse>().Produces<QuotaCheckResponse>(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesApiErrors(Core.Common.ErrorCodes.Invalid, Core.Common.ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("""{"metric":"gpu_hours","amount":1.5}"""))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageRead));
        api.MapGet("/usage/current", CurrentAsync).WithTags("Usage").WithName("CurrentUsage").WithSummary("This period's usage per metric")
            .WithDescription("Usage, limits, percentages and the estimated cost (integer cents) of the current billing period.")
            .Produces<CurrentUsageResponse>().ProducesApiErrors(Core.Common.ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageRead));
        return api;
    }

    /// <summary><c>POST /api/v1/quota/check</c>: 200 when allowed; 429 with <c>Retry-After</c> (seconds to the period reset) when not.</summary>
    public static async Task<IResult> CheckAsync(HttpRequest request, HttpResponse response, QuotaService quotas, TimeProvider time, Observability.PortalMetrics metrics, Observability.ApiRefusalCounter refusals, Core.Tenants.ITenantContext tenant, CancellationToken cancellationToken)
    {
        var (metric, amount, problem) = await ParseAsync(request, cancellationToken);
        if (problem is not null)
            return ApiProblems.From(problem);
        var result = await quotas.CheckAsync(metric, amount, cancellationToken);
        if (!result.IsSuccess)
            return ApiProblems.From(result.Error);
        var d = result.Value;
        var body = new QuotaCheckResponse(d.Allowed, d.Used, d.Limit, d.Remaining, d.ResetsAt, d.Overage, d.Reason);
        if (d.Allowed)
            return TypedResults.Ok(body);
        metrics.QuotaDenied(UsageMetrics.Name(metric), d.Reason ?? "");
        refusals.Count(tenant.TenantId!.Value, Core.Usage.ApiRefusalDay.QuotaDenied);
        var seconds = Math.Max(1, (long)Math.Ceiling((d.ResetsAt - time.GetUtcNow()).TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(body, statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary><c>GET /api/v1/usage/current</c>: the period's usage per metric, limits, percentages and estimated cost.</summary>
    public static async Task<IResult> CurrentAsync(UsageReportService reports, CancellationToken cancellationToken)
    {
        var r = await reports.CurrentAsync(cancellationToken);
        return TypedResults.Ok(new CurrentUsageResponse(r.PeriodStart, r.PeriodEnd,
            r.Metrics.Select(m => new MetricUsageResponse(UsageMetrics.Name(m.Metric), m.Used, m.Limit, m.Percentage is { } p ? Math.Round(p, 2) : null,
                m.Band.ToString().ToLowerInvariant(), m.Overage, m.OverageCents)).ToList(),
            r.BaseCents, r.EstimatedTotalCents));
    }

    private static async Task<(UsageMetric Metric, decimal Amount, BatchProblem? Problem)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 4 }, cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (default, 0, new BatchProblem(StatusCodes.Status400BadRequest, "body", "The body must be an object with 'metric' and 'amount'."));
            if (JsonText.FindInvalid(root) is { } notText)
                return (default, 0, new BatchProblem(StatusCodes.Status400BadRequest, notText, $"{notText} {JsonText.NotText}."));
            if (!root.TryGetProperty("metric", out var m) || m.ValueKind != JsonValueKind.String)
                return (default, 0, new BatchProblem(StatusCodes.Status400BadRequest, "metric", "'metric' is required and must be a string."));
            if (!UsageMetrics.TryParse(m.GetString(), out var metric))
                return (default, 0, new BatchProblem(StatusCodes.Status422UnprocessableEntity, "metric",
                    Core.Common.PlainText.Problem(m.GetString(), "The metric") ?? $"Unknown metric '{m.GetString()}'."));
            if (!root.TryGetProperty("amount", out var a) || a.ValueKind != JsonValueKind.Number)
                return (default, 0, new BatchProblem(StatusCodes.Status400BadRequest, "amount", "'amount' is required and must be a number."));
            if (!a.TryGetDecimal(out var amount))
                return (default, 0, new BatchProblem(StatusCodes.Status422UnprocessableEntity, "amount", $"The amount {a.GetRawText()} is out of range."));
            return (metric.Value, amount, null);
        }
        catch (JsonException ex)
        {
            return (default, 0, new BatchProblem(StatusCodes.Status400BadRequest, "body", $"The body is not valid JSON: {ex.Message}"));
        }
    }
}
