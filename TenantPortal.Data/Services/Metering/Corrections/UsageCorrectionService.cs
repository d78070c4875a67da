using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Metering.Corrections;

/// <summary>
/// Usage corrections of a tenant: apply (void, amend, backfill), revert, list, read. Tenant callers act on the current
/// tenant: Admins and Owners (an API key with <c>usage:write</c>) correct and revert; whoever may see usage (a key with
/// <c>usage:read</c>) reads. Operators act on any tenant through the <c>…ForTenantAsync</c> methods, with a reason.
/// The work itself (checks against the events, the one transaction, the notices after the commit) is
/// <see cref="UsageCorrectionWriter"/>'s.
/// </summary>
public sealed class UsageCorrectionService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, UsageCorrectionWriter writer,
    TimeProvider time)
{
    /// <summary>Most corrections on a page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Applies a correction to the current tenant's usage (Admin; a key with usage:write). The same id again returns the first result.</summary>
    public async Task<Result<UsageCorrectionOutcome>> CreateAsync(Actor actor, UsageCorrectionRequest request, CancellationToken cancellationToken)
    {
        var check = UsageCorrectionRules.Check(request, time.GetUtcNow());
        if (!check.IsSuccess)
            return check.Error!;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.CorrectUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error!;
        return await writer.ApplyAsync(db, gate.Value.TenantId, actor, request, cancellationToken);
    }

    /// <summary>Reverts a correction of the current tenant (Admin; a key with usage:write): its events count as before.</summary>
    /// <param name="actor">Who reverts.</param>
    /// <param name="correctionId">The caller's correction id.</param>
    /// <param name="reason">Why (optional for tenant callers; 1–500 characters when given).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<Result<UsageCorrectionView>> RevertAsync(Actor actor, string correctionId, string? reason, CancellationToken cancellationToken)
    {
        if (reason is not null)
        {
            var why = UsageCorrectionRules.CheckReason(reason);
            if (!why.IsSuccess)
                return why.Error!;
        }
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.CorrectUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error!;
        return await writer.RevertAsync(db, gate.Value.TenantId, actor, correctionId, reason, cancellationToken);
    }

    /// <summary>The current tenant's corrections, newest first, after the row <paramref name="afterRowId"/> (Viewer; a key with usage:read).</summary>
    public async Task<Result<UsageCorrectionPage>> ListAsync(Actor actor, long? afterRowId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error!;
        return await PageAsync(db, gate.Value.TenantId, afterRowId, limit, cancellationToken);
    }

    /// <summary>One correction of the current tenant (Viewer; a key with usage:read).</summary>
    public async Task<Result<UsageCorrectionView>> GetAsync(Actor actor, string correctionId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewUsage, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error!;
        return await FindAsync(db, gate.Value.TenantId, correctionId, cancellationToken);
    }

    /// <summary>Applies a correction to a tenant's usage (Operator; e.g. a backfill of a past period). The reason is the request's.</summary>
    public async Task<Result<UsageCorrectionOutcome>> CreateForTenantAsync(Actor actor, Guid tenantId, UsageCorrectionRequest request, CancellationToken cancellationToken)
    {
        var check = UsageCorrectionRules.Check(request, time.GetUtcNow());
        if (!check.IsSuccess)
            return check.Error!;
        using var scope = tenantContext.BeginCrossTenantScope("operator correcting a tenant's usage");
        await using var db = contexts.CreateDbContext();
        var found = await OperatorTenantAsync(db, actor, tenantId, cancellationToken);
        if (!found.IsSuccess)
            return found.Error!;
        return await writer.ApplyAsync(db, tenantId, actor, request, cancellationToken);
    }

    /// <summary>Reverts a correction of a tenant (Operator, with a reason).</summary>
    public async Task<Result<UsageCorrectionView>> RevertForTenantAsync(Actor actor, Guid tenantId, string correctionId, string? reason, CancellationToken cancellationToken)
    {
        var why = UsageCorrectionRules.CheckReason(reason);
        if (!why.IsSuccess)
            return why.Error!;
        using var scope = tenantContext.BeginCrossTenantScope("operator reverting a tenant's usage correction");
        await using var db = contexts.CreateDbContext();
        var found = await OperatorTenantAsync(db, actor, tenantId, cancellationToken);
        if (!found.IsSuccess)
            return found.Error!;
        return await writer.RevertAsync(db, tenantId, actor, correctionId, reason, cancellationToken);
    }

    /// <summary>A tenant's corrections, newest first (Operator).</summary>
    public async Task<Result<UsageCorrectionPage>> ListForTenantAsync(Actor actor, Guid tenantId, long? afterRowId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        using var scope = tenantContext.BeginCrossTenantScope("operator listing a tenant's usage corrections");
        await using var db = contexts.CreateDbContext();
        var found = await OperatorTenantAsync(db, actor, tenantId, cancellationToken);
        if (!found.IsSuccess)
            return found.Error!;
        return await PageAsync(db, tenantId, afterRowId, limit, cancellationToken);
    }

    private static async Task<Result> OperatorTenantAsync(PortalDbContext db, Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
            return Error.Forbidden("Only operators can correct another tenant's usage.");
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
            return Error.NotFound("That tenant was not found.");
        return Result.Success();
    }

    private static async Task<UsageCorrectionPage> PageAsync(PortalDbContext db, Guid tenantId, long? afterRowId, int limit, CancellationToken cancellationToken)
    {
        var query = db.UsageCorrections.AsNoTracking().Where(c => c.TenantId == tenantId);
        if (afterRowId is { } after)
            query = query.Where(c => c.Id < after);
        var rows = await query.OrderByDescending(c => c.Id).Take(limit + 1).Include(c => c.Lines).AsSplitQuery().ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(UsageCorrectionView.From).ToList();
        return new UsageCorrectionPage(items, rows.Count > limit ? items[^1].RowId : null);
    }

    private static async Task<Result<UsageCorrectionView>> FindAsync(PortalDbContext db, Guid tenantId, string correctionId, CancellationToken cancellationToken)
    {
        if (!UsageCorrectionRules.CheckId(correctionId, "id", "The correction id").IsSuccess)
            return UsageCorrectionWriter.UnknownCorrection;
        var row = await db.UsageCorrections.AsNoTracking().Include(c => c.Lines)
            .SingleOrDefaultAsync(c => c.TenantId == tenantId && c.CorrectionId == correctionId, cancellationToken);
        return row is null ? UsageCorrectionWriter.UnknownCorrection : UsageCorrectionView.From(row);
    }
}
