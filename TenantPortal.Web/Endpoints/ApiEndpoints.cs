using TenantPortal.Web.Endpoints.Management;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints;

/// <summary>The <c>/api/v1</c> group: tenant API keys only, JSON, problem details on errors.</summary>
public static class ApiEndpoints
{
    /// <summary>Maps every API route.</summary>
    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(PortalPolicies.ApiKey)
            .RequireRateLimiting(TenantRateLimiting.Policy)
            .DisableAntiforgery();
        api.MapUsageEndpoints();
        api.MapQuotaEndpoints();
        api.MapTenantApi();
        api.MapAuditApi();
        api.MapUsageHistoryApi();
        api.MapUsageCorrectionsApi();
        api.MapInvoicesApi();
        api.MapCreditNotesApi();
        api.MapSubscriptionApi();
        api.MapBudgetApi();
        api.MapCreditsApi();
        api.MapMembersApi();
        api.MapInvitationsApi();
        api.MapEntitlementsApi();
        api.MapWebhookEndpointsApi();
        api.MapWebhookDeliveriesApi();
        return app;
    }
}
