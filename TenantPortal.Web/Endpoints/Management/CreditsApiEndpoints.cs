using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/credits</c>: the tenant's prepaid credits, their grants and what they paid (billing:read).</summary>
public static class CreditsApiEndpoints
{
    /// <summary>One credit grant.</summary>
    /// <param name="Id">The grant's id.</param>
    /// <param name="Source"><c>purchase</c>, <c>promotional</c> or <c>operator</c>.</param>
    /// <param name="AmountCents">Granted, in cents.</param>
    /// <param name="RemainingCents">Left, in cents (zero once used up or revoked; an expired grant keeps its unused remainder here, but it no longer counts).</param>
    /// <param name="Priority">Lower numbers are used first (defaults: promotional 10, operator 50, purchase 100); ties go to the soonest expiry.</param>
    /// <param name="ExpiresAt">When the remainder stops counting, or null for never.</param>
    /// <param name="Reason">Why it was given.</param>
    /// <param name="CreatedAt">When it was given; it pays invoices issued from then on.</param>
    /// <param name="RevokedAt">When an operator revoked its unused part, if they did.</param>
    /// <param name="RevokedCents">The unused part the revocation took back, in cents.</param>
    /// <param name="Expired">True when it expired with something left.</param>
    public sealed record CreditGrantItem(Guid Id, string Source, long AmountCents, long RemainingCents, int Priority, DateTimeOffset? ExpiresAt,
        string Reason, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, long RevokedCents, bool Expired);

    /// <summary>What one grant paid of one invoice.</summary>
    /// <param name="Invoice">The invoice number (as in <c>/api/v1/invoices/{number}</c>).</param>
    /// <param name="GrantId">The grant.</param>
    /// <param name="AmountCents">Cents it paid.</param>
    /// <param name="At">When (the invoice's issue time).</param>
    public sealed record CreditConsumptionItem(string Invoice, Guid GrantId, long AmountCents, DateTimeOffset At);

    /// <summary>The tenant's credits.</summary>
    /// <param name="BalanceCents">The remainder of the grants usable now (not revoked, not expired), in cents.</param>
    /// <param name="Currency">ISO 4217, lower-case: <c>usd</c>.</param>
    /// <param name="ThisPeriodUseCents">What the running period's invoice would take from the balance if it were issued now.</param>
    /// <param name="DailyBurnCents">The running period's charges per day: the base spread over the period, the overage so far over the days elapsed.</param>
    /// <param name="ProjectedRunOutAt">The day (UTC midnight) the balance runs out at that rate; null when it doesn't ("not at this rate") or there is no balance.</param>
    /// <param name="LowBalanceThresholdCents">The owner's low-balance alert threshold, or null for none.</param>
    /// <param name="Grants">Every grant, newest first.</param>
    /// <param name="Consumption">What grants paid of invoices, newest first (the latest 200).</param>
    public sealed record CreditsResponse(long BalanceCents, string Currency, long ThisPeriodUseCents, decimal DailyBurnCents, DateTimeOffset? ProjectedRunOutAt,
        long? LowBalanceThresholdCents, IReadOnlyList<CreditGrantItem> Grants, IReadOnlyList<CreditConsumptionItem> Consumption);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapCreditsApi(this RouteGroupBuilder api)
    {
        // The resource's own group (no prefix of its own, so the route is /api/v1/credits without a trailing slash), its scope on the group.
        var credits = api.MapGroup("").WithTags("Credits").RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        credits.MapGet("/credits", GetAsync).WithName("GetCredits").WithSummary("The tenant's prepaid credits: balance, grants and consumption")
            .WithDescription("Needs billing:read. Money in integer cents. Invoices use credits usable at their issue time: overage lines first, then "
                + "base, then adjustments that add to the bill, never below a zero total, from grants in priority order, then soonest expiry, then "
                + "oldest; each invoice shows them as one \"Credits applied\" line (kind CreditsApplied, negative).")
            .Produces<CreditsResponse>().ProducesApiErrors(ErrorCodes.MissingScope);
        return api;
    }

    /// <summary><c>GET /api/v1/credits</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, CreditService credits, CancellationToken cancellationToken)
    {
        var overview = await credits.GetOverviewAsync(ApiCaller.Actor(http), cancellationToken);
        if (!overview.IsSuccess)
            return ApiProblems.From(overview.Error);
        var o = overview.Value;
        return TypedResults.Ok(new CreditsResponse(o.BalanceCents, o.Currency, o.ThisPeriodUseCents, o.DailyBurnCents, o.ProjectedRunOutAt,
            o.LowBalanceThresholdCents,
            o.Grants.Select(g => new CreditGrantItem(g.Id, CreditRules.Name(g.Source), g.AmountCents, g.RemainingCents, g.Priority, g.ExpiresAt, g.Reason,
                g.CreatedAt, g.RevokedAt, g.RevokedCents, g.Expired)).ToList(),
            o.Consumption.Select(c => new CreditConsumptionItem(c.InvoiceNumber, c.GrantId, c.AmountCents, c.At)).ToList()));
    }
}
