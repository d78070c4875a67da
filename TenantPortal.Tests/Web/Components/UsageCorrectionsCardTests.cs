using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Web.Components.Tenant;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The Usage tab's corrections card: lists a correction with its net effect, and reverts it after asking why.</summary>
public class UsageCorrectionsCardTests : TenantComponentTestContext
{
    public UsageCorrectionsCardTests()
    {
        Services.AddSingleton<IUsageCommitBarrier, SqliteUsageCommitBarrier>();
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<UsageCorrectionWriter>();
        Services.AddScoped<UsageCorrectionService>();
    }

    private async Task CorrectAsync()
    {
        await using (var db = Database.ForTenant(Tenant.Id))
        {
            var at = DateTimeOffset.UtcNow.AddHours(-1);
            db.UsageEvents.AddRange(
                new UsageEvent { TenantId = Tenant.Id, ClientEventId = "e-17", Metric = UsageMetric.ApiCalls, Quantity = 250, Timestamp = at, ReceivedAt = at },
                new UsageEvent { TenantId = Tenant.Id, ClientEventId = "e-18", Metric = UsageMetric.GpuHours, Quantity = 7.25m, Timestamp = at, ReceivedAt = at });
            await db.SaveChangesAsync();
        }
        var created = await Services.GetRequiredService<UsageCorrectionService>().CreateAsync(ActorOf(TenantRole.Owner),
            new UsageCorrectionRequest("fix-1", "Duplicate job reports", [new("e-17", UsageCorrectionAction.Void), new("e-18", UsageCorrectionAction.Amend, 3.5m)]),
            CancellationToken.None);
        Assert.True(created.IsSuccess, created.Error?.Message);
    }

    [Fact]
    public async Task Card_ListsTheCorrection_WithItsNetEffect_AndRevertsItWithAReason()
    {
        SignInAs(TenantRole.Admin);
        await CorrectAsync();
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var reverted = 0;

        var card = Render<UsageCorrectionsCard>(p => p.Add(x => x.Reverted, () => reverted++));

        card.WaitForAssertion(() => Assert.Single(card.FindAll("tr.correction-row")));
        Assert.Equal("−250 calls, −3.75 h", card.Find(".correction-net").TextContent);
        Assert.Contains("1 void, 1 amend", card.Find("tr.correction-row").TextContent);
        await card.InvokeAsync(() => card.Find(".correction-revert").Click());
        dialogs.WaitForElement("#revert-correction-confirm");
        dialogs.Find("#revert-correction-confirm").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("reason is required", dialogs.Find(".mud-input-helper-text.mud-input-error").TextContent));
        dialogs.Find("#revert-correction-reason").Input("Wrong job");
        dialogs.Find("#revert-correction-confirm").Click();

        card.WaitForAssertion(() => Assert.Equal("true", card.Find("tr.correction-row").GetAttribute("data-reverted")));
        Assert.Equal(1, reverted);
        Assert.Empty(card.FindAll(".correction-revert"));
        await using var db = Database.ForTenant(Tenant.Id);
        var correction = await db.UsageCorrections.SingleAsync();
        Assert.Equal("Wrong job", correction.RevertReason);
        Assert.Equal(250m, await db.UsageEvents.Where(e => e.Metric == UsageMetric.ApiCalls).SumAsync(e => e.Quantity));
    }

    [Fact]
    public void Card_SaysSo_WhenThereIsNoCorrection()
    {
        SignInAs(TenantRole.Owner);

        var card = Render<UsageCorrectionsCard>();

        card.WaitForAssertion(() => Assert.Equal("No corrections yet.", card.Find("#no-corrections").TextContent));
    }
}
