using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Usage;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Metering.Corrections;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Settles the invoiced periods a committed usage correction (or its revert) touched: each month of a changed event's
/// timestamp that has an issued invoice, at any age, is recomputed by <see cref="CreditNoteIssuer"/> in a scope of its own
/// working for the correction's tenant. A shortfall is credited now; an increase waits for the next invoice's adjustment
/// line (within the late-usage window). A failure here never undoes the correction: a credit note the provider refused
/// stays pending, and the daily settlement issues it.
/// </summary>
public sealed class CreditNoteCorrectionObserver(IServiceScopeFactory scopes) : IUsageCorrectionObserver
{
    /// <inheritdoc />
    public async Task CorrectedAsync(UsageCorrectionApplied applied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var periods = applied.Changes.Select(c => PeriodMath.MonthStart(c.Timestamp)).Distinct().ToList();
        if (periods.Count == 0)
            return;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(applied.TenantId);
        var reason = applied.Reverted ? $"Revert of usage correction {applied.CorrectionId}: {applied.Reason}" : applied.Reason;
        await scope.ServiceProvider.GetRequiredService<CreditNoteIssuer>()
            .SettleCurrentTenantAsync(periods, reason, applied.CorrectionId, cancellationToken);
    }
}
