using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints;

/// <summary>The metering API under <c>/api/v1</c>: report usage. The API key decides the tenant.</summary>
public static class UsageEndpoints
{
    /// <summary>The 202 body.</summary>
    public sealed record IngestResponse(int Accepted, int Duplicates);

    /// <summary>Maps the usage routes on the API group.</summary>
    public static RouteGroupBuilder MapUsageEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/usage", IngestAsync).RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageWrite));
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
