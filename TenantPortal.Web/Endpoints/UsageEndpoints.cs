using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Endpoints.Management;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints;

/// <summary>The metering API under <c>/api/v1</c>: report usage. The API key decides the tenant.</summary>
public static class UsageEndpoints
{
    /// <summary>The 202 body.</summary>
    public sealed record IngestResponse(int Accepted, int Duplicates);

    /// <summary>One usage event (documentation of the body; the parser reads it strictly).</summary>
    /// <param name="Id">The client's id of the event: unique per tenant, a retry with the same id is a duplicate; compared exactly (case-sensitive). At most 128 characters, with no control characters or bidirectional controls, not beginning or ending with whitespace.</param>
    /// <param name="Metric">api_calls, gpu_hours, storage_gb or studies.</param>
    /// <param name="Quantity">How much (≥ 0, finite, at most 6 decimal places).</param>
    /// <param name="Timestamp">When it happened (UTC, at most 35 days old and 5 minutes ahead).</param>
    public sealed record UsageEventBody(string Id, string Metric, decimal Quantity, DateTimeOffset Timestamp);

    /// <summary>The body of <c>POST /usage</c>: 1 to 1,000 events, stored all or none.</summary>
    /// <param name="Events">The events.</param>
    public sealed record UsageBatchBody(IReadOnlyList<UsageEventBody> Events);

    /// <summary>Maps the usage routes on the API group.</summary>
    public static RouteGroupBuilder MapUsageEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/usage", IngestAsync).WithTags("Usage").WithName("ReportUsage").WithSummary("Report usage events")
            .WithDescription("202 once the batch is durably stored. An id seen before for the tenant is a duplicate and not counted again. A bad event refuses the whole batch with a problem naming the event (eventIndex, eventId) and field: 400 malformed, 413 too large, 422 invalid (including an id holding a control character or a bidirectional control, or beginning or ending with whitespace, and a quantity with more than 6 decimal places).")
            .AcceptsJson<UsageBatchBody>().Produces<IngestResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesApiErrors(Core.Common.ErrorCodes.Invalid, Core.Common.ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("""{"events":[{"id":"job-42","metric":"gpu_hours","quantity":1.5,"timestamp":"2026-11-22T10:00:00Z"}]}"""))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageWrite));
        return api;
    }

    /// <summary><c>POST /api/v1/usage</c>: 202 once the batch is durably stored.</summary>
    public static async Task<IResult> IngestAsync(HttpRequest request, ITenantContext tenant, UsageIngestionService ingestion, Observability.PortalMetrics metrics, CancellationToken cancellationToken)
    {
        var (events, problem) = await UsageBatchParser.ParseAsync(request, cancellationToken);
        if (problem is not null)
            return ApiProblems.From(problem);
        var result = await ingestion.IngestAsync(tenant.TenantId!.Value, events!, cancellationToken);
        if (result.IsSuccess)
            metrics.Ingested(result.Value.Accepted, result.Value.Duplicates);
        return result.IsSuccess
            ? TypedResults.Accepted((string?)null, new IngestResponse(result.Value.Accepted, result.Value.Duplicates))
            : ApiProblems.From(result.Error, events);
    }
}
