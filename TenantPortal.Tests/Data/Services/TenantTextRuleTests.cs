using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

/// <summary>
/// The tenant-side services that the portal's forms call (create a workspace, edit its details, invite someone, name an
/// API key) refuse a control character or a bidirectional control in their text, naming the field, and store nothing.
/// </summary>
public abstract class TenantTextRuleTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantTextRuleTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantTextRuleTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    // Each call of a service with one field holding the text; the field the error must name.
    private static readonly Dictionary<string, (string Field, Func<TenantTextRuleTests, string, Task<Result>> Call)> Calls = new()
    {
        ["create: name"] = ("name", (t, bad) => t.CreateAsync(new($"New{bad}co", "newco", SubscriptionTier.Free))),
        ["create: slug"] = ("slug", (t, bad) => t.CreateAsync(new("Newco", $"new{bad}co", SubscriptionTier.Free))),
        ["update: name"] = ("name", (t, bad) => t.UpdateAsync(d => d with { Name = $"Alpha{bad}Inc" })),
        ["update: billing email"] = ("billingEmail", (t, bad) => t.UpdateAsync(d => d with { BillingEmail = $"ap{bad}@alpha.test" })),
        ["update: custom domain"] = ("customDomain", (t, bad) => t.UpdateAsync(d => d with { CustomDomain = $"portal.alpha{bad}.test" })),
        ["invite: email"] = ("email", async (t, bad) => await t._bed.In(t._bed.AlphaId).Invitations.CreateAsync(t._bed.ActorOf("admin"),
            new InviteRequest($"ann{bad}@example.test", TenantRole.Member), t._bed.AcceptUrl, None)),
        ["API key: name"] = ("name", async (t, bad) => await t._bed.In(t._bed.AlphaId).ApiKeys.CreateAsync(t._bed.ActorOf("admin"), $"Produc{bad}tion", None)),
    };

    public static TheoryData<string, string> Cases() => HostileText.Cross(Calls.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AControlOrBidiCharacter_IsRefusedNamingTheField_AndNothingIsStored(string call, string character)
    {
        var before = await SnapshotAsync();
        var (field, run) = Calls[call];

        var result = await run(this, HostileText.Characters[character]);

        Assert.Equal((ErrorCodes.Invalid, field), (result.Error?.Code, result.Error?.Field));
        Assert.Contains(HostileText.CodePoint(character), result.Error!.Message);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(_bed.Mail.Sent);
    }

    [Fact]
    public async Task ANameInAnyScript_WithMarksAndANoBreakSpace_IsStoredAsTyped()
    {
        var result = await UpdateAsync(d => d with { Name = "Société\u00A0Générale \u200Fשלום 🚀" });

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal("Société\u00A0Générale \u200Fשלום 🚀", (await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId)).Name);
    }

    private async Task<Result> CreateAsync(CreateTenantRequest request) =>
        await _bed.In(null).Tenants.CreateAsync(_bed.ActorOf("owner"), request, None);

    private async Task<Result> UpdateAsync(Func<UpdateTenantRequest, UpdateTenantRequest> change)
    {
        var scope = _bed.In(_bed.AlphaId);
        var details = (await scope.Tenants.GetDetailsAsync(_bed.ActorOf("admin"), None)).Value;
        var request = new UpdateTenantRequest(details.Name, details.BillingEmail, details.CustomDomain, details.ConcurrencyStamp);
        return await scope.Tenants.UpdateAsync(_bed.ActorOf("admin"), change(request), None);
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Slug)
            .Select(t => $"{t.Slug}:{t.Name}:{t.BillingEmail}:{t.CustomDomain}:{t.ConcurrencyStamp}").ToListAsync();
        var invitations = await db.Invitations.CountAsync();
        var keys = await db.ApiKeys.CountAsync();
        var audit = await db.AuditEntries.CountAsync();
        return string.Join("|", [.. tenants, $"{invitations} invitations", $"{keys} keys", $"{audit} audit entries"]);
    }
}
