using TenantPortal.Core.Audit;
using TenantPortal.Core.Webhooks;

namespace TenantPortal.Tests.Core.Webhooks;

public class WebhookRetryScheduleTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 30)]
    [InlineData(4, 120)]
    [InlineData(5, 300)]
    [InlineData(6, 600)]
    [InlineData(9, 600)]
    public void Next_BacksOffExponentiallyThenEvery10Hours_WithoutJitterAtHalf(int failures, int minutes)
    {
        Assert.Equal(Created.AddMinutes(minutes), WebhookRetrySchedule.Next(failures, Created, Created, 0.5));
    }

    [Fact]
    public void Next_SpreadsByAtMostTenPercent()
    {
        Assert.Equal(Created.AddMinutes(4.5), WebhookRetrySchedule.Next(2, Created, Created, 0));
        Assert.Equal(Created.AddMinutes(5.5), WebhookRetrySchedule.Next(2, Created, Created, 1));
    }

    [Fact]
    public void Next_StopsAtThreeDays_AndNeverSchedulesPastThem()
    {
        Assert.Equal(Created.AddDays(3), WebhookRetrySchedule.Next(8, Created, Created.AddDays(3).AddHours(-1), 0.5));
        Assert.Null(WebhookRetrySchedule.Next(9, Created, Created.AddDays(3), 0.5));
    }

    [Fact]
    public void Endpoint_IsDisabledByFailures_OnlyAfterThreeDaysWithoutASuccess()
    {
        var endpoint = WebhookEndpoint.Create(Guid.NewGuid(), "https://example.com", null, [WebhookEventTypes.InvoicePaid], "p", Created);

        Assert.False(endpoint.RecordFailure(Created));
        Assert.False(endpoint.RecordFailure(Created.AddDays(2)));
        endpoint.RecordSuccess();
        Assert.False(endpoint.RecordFailure(Created.AddDays(4)));
        Assert.True(endpoint.RecordFailure(Created.AddDays(7)));
        Assert.False(endpoint.IsEnabled);
        Assert.True(endpoint.DisabledForFailures);
        Assert.False(endpoint.Wants(WebhookEventTypes.InvoicePaid));
        endpoint.Enable();
        Assert.True(endpoint.Wants(WebhookEventTypes.InvoicePaid));
    }

    [Theory]
    [InlineData(AuditActions.QuotaAlertFired, WebhookEventTypes.QuotaThresholdReached)]
    [InlineData(AuditActions.BudgetAlertFired, WebhookEventTypes.BudgetThresholdReached)]
    [InlineData(AuditActions.InvoicePaymentFailed, WebhookEventTypes.InvoicePaymentFailed)]
    [InlineData(AuditActions.PlanChangeScheduled, WebhookEventTypes.SubscriptionChanged)]
    [InlineData(AuditActions.InvitationAccepted, WebhookEventTypes.MemberAdded)]
    [InlineData(AuditActions.MemberLeft, WebhookEventTypes.MemberRemoved)]
    [InlineData(AuditActions.UsageCorrectionCreated, WebhookEventTypes.UsageCorrectionCreated)]
    [InlineData(AuditActions.ApiKeyCreated, null)]
    public void ForAction_MapsAuditedActions_ToTheirEventType(string action, string? type)
    {
        Assert.Equal(type, WebhookEventTypes.ForAction(action));
    }
}
