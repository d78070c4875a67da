using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>
/// The current tenant's webhook endpoints: listed with <see cref="TenantPermission.ViewWebhooks"/>, changed with
/// <see cref="TenantPermission.ManageWebhooks"/> (Admin; API scopes <c>webhooks:read</c>/<c>webhooks:write</c>), all
/// behind the <c>webhooks</c> entitlement. Every change is audited.
/// </summary>
public sealed class WebhookEndpointService(IDbContextFactory<PortalDbContext> contexts, EntitlementService entitlements, WebhookSecrets secrets,
    AuditWriter audit, IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>Most endpoints per tenant.</summary>
    public const int MaxEndpoints = 20;

    /// <summary>What the refusal of a tenant whose plan lacks webhooks names (<see cref="EntitlementService.RequireAsync"/>).</summary>
    public const string Feature = "Sending webhooks";

    /// <summary>True when the current tenant's plan (or an operator's override) includes webhooks; false for no tenant.</summary>
    public async Task<bool> IsEntitledAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewWebhooks, cancellationToken);
        return gate.IsSuccess && (await RequireEntitledAsync(gate.Value.TenantId, cancellationToken)).IsSuccess;
    }

    /// <summary>The endpoints, oldest first.</summary>
    public async Task<Result<IReadOnlyList<WebhookEndpointRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await GateAsync(db, actor, TenantPermission.ViewWebhooks, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var now = time.GetUtcNow();
        var rows = await db.WebhookEndpoints.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Select(e => WebhookEndpointRow.Of(e, now)).ToList();
    }

    /// <summary>One endpoint.</summary>
    public async Task<Result<WebhookEndpointRow>> GetAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var endpoint = await FindAsync(db, actor, TenantPermission.ViewWebhooks, id, cancellationToken);
        return endpoint.IsSuccess ? WebhookEndpointRow.Of(endpoint.Value, time.GetUtcNow()) : endpoint.Error;
    }

    /// <summary>Registers an endpoint and returns its signing secret, shown once.</summary>
    public async Task<Result<WebhookEndpointSecret>> CreateAsync(Actor actor, WebhookEndpointInput input, CancellationToken cancellationToken)
    {
        var url = WebhookAddressGuard.CheckUrl(input.Url, options.Value.AllowPrivateAddresses);
        if (!url.IsSuccess)
            return url.Error;
        var description = Description(input.Description);
        if (!description.IsSuccess)
            return description.Error;
        var events = Events(input.Events ?? WebhookEventTypes.Default);
        if (!events.IsSuccess)
            return events.Error;
        await using var db = contexts.CreateDbContext();
        var gate = await GateAsync(db, actor, TenantPermission.ManageWebhooks, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (await db.WebhookEndpoints.CountAsync(cancellationToken) >= MaxEndpoints)
            return Error.Conflict($"A workspace can have at most {MaxEndpoints} webhook endpoints; delete one first.");
        var now = time.GetUtcNow();
        var (secret, protectedSecret) = secrets.New();
        var endpoint = WebhookEndpoint.Create(gate.Value.TenantId, url.Value, description.Value, events.Value, protectedSecret, now);
        db.WebhookEndpoints.Add(endpoint);
        audit.Record(db, endpoint.TenantId, actor, AuditActions.WebhookEndpointCreated, Target(endpoint), $"{endpoint.Url} ({endpoint.Events})");
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookEndpointSecret(WebhookEndpointRow.Of(endpoint, now), secret);
    }

    /// <summary>Changes an endpoint's address, description, events or state (null members keep theirs).</summary>
    public async Task<Result<WebhookEndpointRow>> UpdateAsync(Actor actor, Guid id, WebhookEndpointInput input, CancellationToken cancellationToken)
    {
        Result<string>? url = input.Url is null ? null : WebhookAddressGuard.CheckUrl(input.Url, options.Value.AllowPrivateAddresses);
        if (url is { IsSuccess: false })
            return url.Error;
        var description = input.Description is null ? null : Description(input.Description);
        if (description is { IsSuccess: false })
            return description.Error;
        var events = input.Events is null ? null : Events(input.Events);
        if (events is { IsSuccess: false })
            return events.Error;
        await using var db = contexts.CreateDbContext();
        var found = await FindAsync(db, actor, TenantPermission.ManageWebhooks, id, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var endpoint = found.Value;
        var before = Describe(endpoint);
        var now = time.GetUtcNow();
        endpoint.Update(url?.Value ?? endpoint.Url, description is null ? endpoint.Description : description.Value, events?.Value ?? endpoint.EventTypes);
        if (input.Enabled == true && !endpoint.IsEnabled)
            endpoint.Enable();
        else if (input.Enabled == false)
            endpoint.Disable(now);
        var after = Describe(endpoint);
        if (after != before)
            audit.Record(db, endpoint.TenantId, actor, AuditActions.WebhookEndpointUpdated, Target(endpoint), $"{before} → {after}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The endpoint changed meanwhile (a delivery, or someone else); read it again and retry.");
        }
        return WebhookEndpointRow.Of(endpoint, now);
    }

    /// <summary>Deletes an endpoint with its delivery log.</summary>
    public async Task<Result> DeleteAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindAsync(db, actor, TenantPermission.ManageWebhooks, id, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var endpoint = found.Value;
        db.WebhookEndpoints.Remove(endpoint);
        audit.Record(db, endpoint.TenantId, actor, AuditActions.WebhookEndpointDeleted, Target(endpoint), endpoint.Url);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The endpoint changed meanwhile; read it again and retry.");
        }
        return Result.Success();
    }

    /// <summary>
    /// Gives the endpoint a new signing secret, returned once; the old one keeps signing (a second <c>v1</c>) for
    /// <see cref="WebhookEndpoint.RotationOverlap"/>. Rotating again within the overlap ends the oldest secret at once.
    /// </summary>
    public async Task<Result<WebhookEndpointSecret>> RotateSecretAsync(Actor actor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var found = await FindAsync(db, actor, TenantPermission.ManageWebhooks, id, cancellationToken);
        if (!found.IsSuccess)
            return found.Error;
        var endpoint = found.Value;
        var now = time.GetUtcNow();
        var (secret, protectedSecret) = secrets.New();
        endpoint.RotateSecret(protectedSecret, now);
        audit.Record(db, endpoint.TenantId, actor, AuditActions.WebhookSecretRotated, Target(endpoint),
            $"the previous secret signs too until {endpoint.PreviousSecretExpiresAt:yyyy-MM-dd HH:mm} UTC");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(ErrorCodes.ConcurrencyConflict, "The endpoint changed meanwhile; rotate again.");
        }
        return new WebhookEndpointSecret(WebhookEndpointRow.Of(endpoint, now), secret);
    }

    internal static string Target(WebhookEndpoint endpoint) => $"webhook_endpoint:{endpoint.Id}";

    private async Task<Result<Core.Members.TenantMember>> GateAsync(PortalDbContext db, Actor actor, TenantPermission permission, CancellationToken cancellationToken)
    {
        var gate = await TenantGate.RequireAsync(db, actor, permission, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var entitled = await RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
        return entitled.IsSuccess ? gate : entitled.Error;
    }

    // The gate, then the endpoint by id (tracked, for a change), then the plan: not found before not in the plan, so
    // another tenant's id is never told apart from no id.
    private async Task<Result<WebhookEndpoint>> FindAsync(PortalDbContext db, Actor actor, TenantPermission permission, Guid id, CancellationToken cancellationToken)
    {
        var gate = await TenantGate.RequireAsync(db, actor, permission, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null)
            return NotFound();
        var entitled = await RequireEntitledAsync(gate.Value.TenantId, cancellationToken);
        return entitled.IsSuccess ? endpoint : entitled.Error;
    }

    /// <summary>Success when the tenant's plan (or an operator's override) includes webhooks, else the plan refusal (403).</summary>
    internal Task<Result> RequireEntitledAsync(Guid tenantId, CancellationToken cancellationToken) =>
        entitlements.RequireAsync(tenantId, EntitlementFeatures.Webhooks, Feature, cancellationToken);

    private static Error NotFound() => Error.NotFound("That webhook endpoint was not found.");

    private static string Describe(WebhookEndpoint e) =>
        $"{e.Url} [{e.Events}]{(e.Description is { } d ? $" '{d}'" : "")}{(e.IsEnabled ? "" : " disabled")}";

    private static Result<string?> Description(string? description)
    {
        var clean = PlainText.Check(description, "description", "The description");
        if (!clean.IsSuccess)
            return clean.Error;
        var trimmed = description?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return Result<string?>.Ok(null);
        return trimmed.Length > WebhookEndpoint.DescriptionLength
            ? Error.Invalid("description", $"The description can be at most {WebhookEndpoint.DescriptionLength} characters long.")
            : Result<string?>.Ok(trimmed);
    }

    /// <summary>Event types: at least one, each known (exact); duplicates collapse.</summary>
    internal static Result<IReadOnlyList<string>> Events(IReadOnlyList<string> events)
    {
        if (events.Count == 0)
            return Error.Invalid("events", $"Choose at least one event: {string.Join(", ", WebhookEventTypes.All)}.");
        foreach (var type in events)
        {
            if (!WebhookEventTypes.IsKnown(type))
            {
                var clean = PlainText.Check(type, "events", "An event type");
                return clean.IsSuccess
                    ? Error.Invalid("events", $"'{type}' is not an event type; use {string.Join(", ", WebhookEventTypes.All)}.")
                    : clean.Error;
            }
        }
        return events.Distinct(StringComparer.Ordinal).ToList();
    }
}
