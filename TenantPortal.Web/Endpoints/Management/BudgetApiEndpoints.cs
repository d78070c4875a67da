using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Budgets;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/budget</c>: the tenant's monthly spend budget on overage and the period's overage cost against it
/// (billing:read); set it with <c>PUT</c> and remove it with <c>DELETE</c> (billing:write, as an Owner in the Billing tab),
/// by the same service and rules, audited as the key and its creator.
/// </summary>
public static class BudgetApiEndpoints
{
    private static readonly string[] SetFields = ["amountCents", "action"];

    /// <summary>The budget and where the running period stands against it.</summary>
    /// <param name="AmountCents">The monthly overage budget in cents; null when the tenant has none.</param>
    /// <param name="Action"><c>alert</c> or <c>block</c>; null when there is no budget.</param>
    /// <param name="PeriodStart">The running period's start (calendar month, UTC).</param>
    /// <param name="PeriodEnd">Its end, when the budget re-arms (and a <c>budget_exceeded</c> refusal lifts).</param>
    /// <param name="OverageCents">This period's overage cost so far, in cents, as the invoice would bill it.</param>
    /// <param name="Percent">The overage cost as a percentage of the budget (two decimals, may pass 100); null without a budget.</param>
    /// <param name="AlertsSent">The thresholds (50, 80, 100) alerted this period.</param>
    /// <param name="Available">False on Free (hard limits, never billed overage): no budget can be set.</param>
    public sealed record BudgetResponse(long? AmountCents, string? Action, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long OverageCents,
        decimal? Percent, IReadOnlyList<int> AlertsSent, bool Available);

    /// <summary>The body of <c>PUT /budget</c>.</summary>
    /// <param name="AmountCents">The monthly overage budget: whole cents, 1 to 100,000,000.</param>
    /// <param name="Action"><c>alert</c> (alerts only) or <c>block</c> (alerts, and quota checks past the budget are refused).</param>
    public sealed record SetBudgetRequest(long AmountCents, string Action);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapBudgetApi(this RouteGroupBuilder api)
    {
        api.MapGet("/budget", GetAsync).WithTags("Budget").WithName("GetBudget").WithSummary("The spend budget and this period's overage against it")
            .WithDescription("Needs billing:read. Without a budget amountCents, action and percent are null (200, not 404), and overageCents still "
                + "gives the period's overage cost so far.")
            .Produces<BudgetResponse>().ProducesApiErrors(ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        api.MapPut("/budget", SetAsync).WithTags("Budget").WithName("SetBudget").WithSummary("Set or change the spend budget")
            .WithDescription("Needs billing:write. The monthly budget on overage (integer cents) and its action: alert (alerts at 50, 80 and 100 %) "
                + "or block (also refuses quota checks whose amount would take the period's overage cost past the budget: 429 budget_exceeded). "
                + "Refused with 409 conflict on Free, which is never billed overage. Remove it with DELETE.")
            .AcceptsJson<SetBudgetRequest>().Produces<BudgetResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope, ErrorCodes.Conflict, ErrorCodes.ConcurrencyConflict)
            .WithMetadata(new ApiExample("""{"amountCents":5000,"action":"block"}"""))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingWrite));
        api.MapDelete("/budget", RemoveAsync).WithTags("Budget").WithName("RemoveBudget").WithSummary("Remove the spend budget")
            .WithDescription("Needs billing:write. 204 whether or not there was a budget; nothing is refused for budget reasons afterwards.")
            .Produces(StatusCodes.Status204NoContent).ProducesApiErrors(ErrorCodes.MissingScope, ErrorCodes.ConcurrencyConflict)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/budget</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, SpendBudgetService budgets, CancellationToken cancellationToken)
    {
        var status = await budgets.GetAsync(ApiCaller.Actor(http), cancellationToken);
        return status.IsSuccess ? TypedResults.Ok(Respond(status.Value)) : ApiProblems.From(status.Error);
    }

    /// <summary><c>PUT /api/v1/budget</c>.</summary>
    public static async Task<IResult> SetAsync(HttpContext http, SpendBudgetService budgets, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, SetFields, cancellationToken);
        if (problem is not null)
            return problem;
        var amount = AmountCents(body);
        if (!amount.IsSuccess)
            return ApiProblems.From(amount.Error);
        var action = ApiBody.Choice<BudgetAction>(body, "action", "alert or block");
        if (!action.IsSuccess)
            return ApiProblems.From(action.Error);
        var set = await budgets.SetAsync(ApiCaller.Actor(http), amount.Value, action.Value, cancellationToken);
        return set.IsSuccess ? TypedResults.Ok(Respond(set.Value)) : ApiProblems.From(set.Error);
    }

    /// <summary><c>DELETE /api/v1/budget</c>.</summary>
    public static async Task<IResult> RemoveAsync(HttpContext http, SpendBudgetService budgets, CancellationToken cancellationToken)
    {
        var removed = await budgets.RemoveAsync(ApiCaller.Actor(http), cancellationToken);
        return removed.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(removed.Error);
    }

    private static Result<long> AmountCents(JsonElement body)
    {
        if (!body.TryGetProperty("amountCents", out var value))
            return Error.Invalid("amountCents", "amountCents is required: the monthly overage budget in whole cents.");
        if (value.ValueKind == JsonValueKind.Null)
            return Error.Invalid("amountCents", "amountCents can't be null; remove the budget with DELETE /api/v1/budget.");
        if (value.ValueKind != JsonValueKind.Number)
            return Error.Invalid("amountCents", "amountCents must be a number of cents.");
        if (!value.TryGetInt64(out var cents))
            return Error.Invalid("amountCents", $"amountCents must be a whole number of cents from 1 to {SpendBudgets.MaxCents}.");
        return cents;
    }

    private static BudgetResponse Respond(SpendBudgetStatus s) =>
        new(s.AmountCents, s.Action?.ToString().ToLowerInvariant(), s.PeriodStart, s.PeriodEnd, s.OverageCents, s.Percent, s.AlertsSent, s.Available);
}
