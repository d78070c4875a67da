using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Web.Components.Tenant;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/subscription</c>: the tenant's subscription (billing:read), and the changes an Owner makes in the Billing
/// tab (billing:write): change plan, cancel, reactivate, by the same service and rules, audited as the key and its creator.
/// </summary>
public static class SubscriptionApiEndpoints
{
    private static readonly string[] ChangeFields = ["tier", "cycle"];
    private static readonly string[] CancelFields = ["atPeriodEnd"];

    /// <summary>A plan scheduled for the period end.</summary>
    /// <param name="Tier">The plan it moves to.</param>
    /// <param name="Cycle">Its cycle: <c>Monthly</c> or <c>Annual</c>.</param>
    /// <param name="At">When it takes effect.</param>
    public sealed record ScheduledChange(string Tier, string Cycle, DateTimeOffset? At);

    /// <summary>The subscription.</summary>
    /// <param name="Tier">The plan: <c>Free</c>, <c>Starter</c>, <c>Professional</c> or <c>Enterprise</c>.</param>
    /// <param name="Cycle"><c>Monthly</c> or <c>Annual</c>.</param>
    /// <param name="Status"><c>Trial</c>, <c>Active</c>, <c>PastDue</c>, <c>Suspended</c> or <c>Cancelled</c>.</param>
    /// <param name="PriceCents">The plan's price per cycle, in cents.</param>
    /// <param name="HasPaidSubscription">True when a paid plan is subscribed (not a trial, not Free, not cancelled).</param>
    /// <param name="TrialEndsAt">The end of the trial, during one.</param>
    /// <param name="SubscriptionStartedAt">When the paid subscription started.</param>
    /// <param name="CurrentPeriodEndsAt">The renewal date, or when a cancellation or scheduled change takes effect.</param>
    /// <param name="CancelAtPeriodEnd">True when the subscription ends at <paramref name="CurrentPeriodEndsAt"/>.</param>
    /// <param name="ScheduledChange">A plan change scheduled for the period end, if any.</param>
    /// <param name="PastDueSince">When the oldest unpaid invoice fell due, while past due.</param>
    /// <param name="UpcomingPeriodStart">The start of the running billing period (calendar month, UTC).</param>
    /// <param name="UpcomingPeriodEnd">Its end.</param>
    /// <param name="UpcomingTotalCents">The running period's invoice so far (base charge plus overage to date), in cents.</param>
    /// <param name="UsesStripe">True when billing goes through Stripe; false on the local ledger.</param>
    public sealed record SubscriptionResponse(string Tier, string Cycle, string Status, long PriceCents, bool HasPaidSubscription, DateTimeOffset? TrialEndsAt,
        DateTimeOffset? SubscriptionStartedAt, DateTimeOffset? CurrentPeriodEndsAt, bool CancelAtPeriodEnd, ScheduledChange? ScheduledChange,
        DateTimeOffset? PastDueSince, DateTimeOffset UpcomingPeriodStart, DateTimeOffset UpcomingPeriodEnd, long UpcomingTotalCents, bool UsesStripe);

    /// <summary>The body of <c>POST /subscription</c>.</summary>
    /// <param name="Tier">The plan to move to: <c>Free</c>, <c>Starter</c>, <c>Professional</c> or <c>Enterprise</c>.</param>
    /// <param name="Cycle"><c>Monthly</c> or <c>Annual</c> (Free is monthly only).</param>
    public sealed record ChangePlanRequest(string Tier, string Cycle);

    /// <summary>What a plan change did, and the subscription after it.</summary>
    /// <param name="Kind"><c>Subscribe</c>, <c>Upgrade</c> (at once), <c>Downgrade</c> (scheduled for the period end) or <c>SwitchToFree</c>.</param>
    /// <param name="EffectiveAt">When it takes (or took) effect.</param>
    /// <param name="ProrationCents">What it added to the running period's invoice, in cents (negative for a credit).</param>
    /// <param name="Message">One sentence saying what happened.</param>
    /// <param name="Subscription">The subscription now.</param>
    public sealed record PlanChangeResponse(string Kind, DateTimeOffset EffectiveAt, long ProrationCents, string Message, SubscriptionResponse Subscription);

    /// <summary>A first subscription through Stripe: nothing changed yet; the tenant's owner pays on Checkout, then the plan starts.</summary>
    /// <param name="CheckoutUrl">Stripe Checkout's address.</param>
    /// <param name="Message">What to do next.</param>
    public sealed record CheckoutResponse(string CheckoutUrl, string Message);

    /// <summary>The body of <c>POST /subscription/cancel</c>.</summary>
    /// <param name="AtPeriodEnd">True: the subscription ends at the period end (and can be reactivated until then); false: it ends now.</param>
    public sealed record CancelRequest(bool AtPeriodEnd);

    /// <summary>What a cancellation did, and the subscription after it.</summary>
    /// <param name="EffectiveAt">When the subscription ends (or ended).</param>
    /// <param name="Message">One sentence saying what happened.</param>
    /// <param name="Subscription">The subscription now.</param>
    public sealed record CancellationResponse(DateTimeOffset EffectiveAt, string Message, SubscriptionResponse Subscription);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapSubscriptionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subscription", GetAsync).WithTags("Subscription").WithName("GetSubscription").WithSummary("The tenant's subscription")
            .WithDescription("Needs billing:read. The ETag header is the version to send as If-Match with a change.")
            .Produces<SubscriptionResponse>().ProducesApiErrors(ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingRead));
        api.MapPost("/subscription", ChangeAsync).WithTags("Subscription").WithName("ChangePlan").WithSummary("Subscribe or change plan")
            .WithDescription("Needs billing:write. The same rules and proration as the Billing tab: an upgrade applies at once and its prorated difference "
                + "is added to the running period's invoice; a downgrade is scheduled for the period end, and refused (downgrade_blocked) while usage "
                + "exceeds the lower plan's hard limits; a trial moves to a paid plan at once, or to Free. On the local ledger the change applies at "
                + "once (200). With Stripe, a first subscription answers 202 with the Checkout address and changes nothing until it is paid. With "
                + "If-Match, refused with 412 when the subscription changed since that ETag.")
            .AcceptsJson<ChangePlanRequest>().Produces<PlanChangeResponse>().Produces<CheckoutResponse>(StatusCodes.Status202Accepted)
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope, ErrorCodes.SamePlan, ErrorCodes.DowngradeBlocked,
                ErrorCodes.Conflict, ErrorCodes.ConcurrencyConflict, ErrorCodes.PaymentProvider)
            .WithMetadata(new ApiExample("{\"tier\":\"Professional\",\"cycle\":\"Monthly\"}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingWrite));
        api.MapPost("/subscription/cancel", CancelAsync).WithTags("Subscription").WithName("CancelSubscription").WithSummary("Cancel the paid subscription")
            .WithDescription("Needs billing:write. atPeriodEnd true: it ends at the period end and can be reactivated until then; false: it ends now. "
                + "no_subscription when there is no paid subscription (a trial, Free); conflict when it already ends at the period end. With If-Match, "
                + "refused with 412 when the subscription changed since that ETag.")
            .AcceptsJson<CancelRequest>().Produces<CancellationResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope, ErrorCodes.NoSubscription, ErrorCodes.Conflict,
                ErrorCodes.ConcurrencyConflict, ErrorCodes.PaymentProvider)
            .WithMetadata(new ApiExample("{\"atPeriodEnd\":true}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingWrite));
        api.MapPost("/subscription/reactivate", ReactivateAsync).WithTags("Subscription").WithName("ReactivateSubscription")
            .WithSummary("Withdraw a cancellation or a scheduled downgrade")
            .WithDescription("Needs billing:write. No body. no_subscription when nothing is scheduled to undo, or the subscription has already ended. "
                + "With If-Match, refused with 412 when the subscription changed since that ETag.")
            .Produces<SubscriptionResponse>()
            .ProducesApiErrors(ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope, ErrorCodes.NoSubscription, ErrorCodes.ConcurrencyConflict,
                ErrorCodes.PaymentProvider)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.BillingWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/subscription</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, BillingService billing, CancellationToken cancellationToken)
    {
        var overview = await billing.GetOverviewAsync(ApiCaller.Actor(http), cancellationToken);
        return overview.IsSuccess ? TypedResults.Ok(Respond(http, overview.Value)) : ApiProblems.From(overview.Error);
    }

    /// <summary><c>POST /api/v1/subscription</c>.</summary>
    public static async Task<IResult> ChangeAsync(HttpContext http, BillingService billing, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, ChangeFields, cancellationToken);
        if (problem is not null)
            return problem;
        var tier = ApiBody.Choice<SubscriptionTier>(body, "tier", "Free, Starter, Professional or Enterprise");
        if (!tier.IsSuccess)
            return ApiProblems.From(tier.Error);
        var cycle = ApiBody.Choice<BillingCycle>(body, "cycle", "Monthly or Annual");
        if (!cycle.IsSuccess)
            return ApiProblems.From(cycle.Error);

        var actor = ApiCaller.Actor(http);
        if (await CheckAsync(http, billing, cancellationToken) is { } refused)
            return refused;
        var changed = await billing.ChangePlanAsync(actor, tier.Value, cycle.Value, ReturnUrl(http), cancellationToken);
        if (!changed.IsSuccess)
            return ApiProblems.From(changed.Error);
        var outcome = changed.Value;
        if (outcome.RedirectUrl is { } checkout)
            return TypedResults.Accepted(checkout, new CheckoutResponse(checkout, outcome.Message));
        var now = await billing.GetOverviewToManageAsync(actor, cancellationToken);
        if (!now.IsSuccess)
            return ApiProblems.From(now.Error);
        return TypedResults.Ok(new PlanChangeResponse(outcome.Kind.ToString(), outcome.EffectiveAt, outcome.ProrationCents, outcome.Message, Respond(http, now.Value)));
    }

    /// <summary><c>POST /api/v1/subscription/cancel</c>.</summary>
    public static async Task<IResult> CancelAsync(HttpContext http, BillingService billing, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, CancelFields, cancellationToken);
        if (problem is not null)
            return problem;
        if (!body.TryGetProperty("atPeriodEnd", out var value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return ApiProblems.From(Error.Invalid("atPeriodEnd", "atPeriodEnd is required and must be true (end at the period end) or false (end now)."));

        var actor = ApiCaller.Actor(http);
        if (await CheckAsync(http, billing, cancellationToken) is { } refused)
            return refused;
        var cancelled = await billing.CancelAsync(actor, value.GetBoolean(), cancellationToken);
        if (!cancelled.IsSuccess)
            return ApiProblems.From(cancelled.Error);
        var now = await billing.GetOverviewToManageAsync(actor, cancellationToken);
        if (!now.IsSuccess)
            return ApiProblems.From(now.Error);
        return TypedResults.Ok(new CancellationResponse(cancelled.Value.EffectiveAt, cancelled.Value.Message, Respond(http, now.Value)));
    }

    /// <summary><c>POST /api/v1/subscription/reactivate</c>.</summary>
    public static async Task<IResult> ReactivateAsync(HttpContext http, BillingService billing, CancellationToken cancellationToken)
    {
        var actor = ApiCaller.Actor(http);
        if (await CheckAsync(http, billing, cancellationToken) is { } refused)
            return refused;
        var reactivated = await billing.ReactivateAsync(actor, cancellationToken);
        if (!reactivated.IsSuccess)
            return ApiProblems.From(reactivated.Error);
        var now = await billing.GetOverviewToManageAsync(actor, cancellationToken);
        return now.IsSuccess ? TypedResults.Ok(Respond(http, now.Value)) : ApiProblems.From(now.Error);
    }

    // Reads the subscription as its manager and checks If-Match against it: null when the change may go ahead.
    private static async Task<IResult?> CheckAsync(HttpContext http, BillingService billing, CancellationToken cancellationToken)
    {
        var current = await billing.GetOverviewToManageAsync(ApiCaller.Actor(http), cancellationToken);
        if (!current.IsSuccess)
            return ApiProblems.From(current.Error);
        return ApiETag.Check(http.Request, ETagOf(current.Value)) is { } stale ? ApiProblems.From(stale) : null;
    }

    // Where Stripe Checkout sends the owner back: the tenant's Billing tab on the portal's public address (never the
    // host the API call named: a script's host means nothing to the owner's browser).
    private static Uri ReturnUrl(HttpContext http) =>
        http.RequestServices.GetRequiredService<Security.PortalAddresses>().Link(TenantTabs.Path(ApiCaller.Identity(http).TenantSlug, TenantTab.Billing));

    private static SubscriptionResponse Respond(HttpContext http, BillingOverview o)
    {
        ApiETag.Set(http.Response, ETagOf(o));
        return new SubscriptionResponse(o.Tier.ToString(), o.Cycle.ToString(), o.Status.ToString(), o.PriceCents, o.HasPaidSubscription, o.TrialEndsAt,
            o.SubscriptionStartedAt, o.CurrentPeriodEndsAt, o.CancelAtPeriodEnd,
            o.PendingTier is { } tier ? new ScheduledChange(tier.ToString(), (o.PendingCycle ?? o.Cycle).ToString(), o.PendingChangeAt) : null,
            o.PastDueSince, o.Upcoming.PeriodStart, o.Upcoming.PeriodEnd, o.Upcoming.TotalCents, o.UsesStripe);
    }

    // The version of the subscription: what a change can alter (not the running invoice, which moves with usage).
    private static string ETagOf(BillingOverview o) =>
        ApiETag.Of(o.Tier, o.Cycle, o.Status, o.TrialEndsAt, o.SubscriptionStartedAt, o.CurrentPeriodEndsAt, o.CancelAtPeriodEnd, o.PendingTier, o.PendingCycle,
            o.PendingChangeAt, o.PastDueSince, o.SuspendedAt);
}
