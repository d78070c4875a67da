using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Web.Components.Tenant.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Tests.Web.Components;

/// <summary>The tenant's forms show the text rule's message under the field at fault (not in a snackbar only), and save nothing.</summary>
public class TextRuleFormTests : TenantComponentTestContext
{
    public TextRuleFormTests() => Services.AddSingleton(new ApiKeyCache(TimeProvider.System));

    [Theory]
    [InlineData("Acme\u202ECorp", "(U+202E)")]
    [InlineData("Acme\u0000Corp", "(U+0000)")]
    [InlineData("Acme\u2066Corp", "(U+2066)")]
    public async Task DetailsForm_ShowsTheMessageUnderTheName_AndSavesNothing(string name, string codePoint)
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        var form = Render<TenantDetailsForm>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
        form.WaitForElement("#settings-name");

        form.Find("#settings-name").Change(name);
        form.Find("#settings-save").Click();

        form.WaitForAssertion(() => Assert.Contains(codePoint, ErrorUnder(form.Find("#settings-name"))));
        Assert.Contains("The name contains", ErrorUnder(form.Find("#settings-name")));
        Assert.Empty(form.FindAll("#settings-error"));
        await using var db = Database.CrossTenant();
        Assert.Equal(Tenant.Name, (await db.Tenants.SingleAsync(t => t.Id == Tenant.Id)).Name);
    }

    [Fact]
    public async Task ApiKeysSection_ShowsTheMessageUnderTheKeysName_AndCreatesNoKey()
    {
        var access = SignInAs(TenantRole.Admin);
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        var section = Render<ApiKeysSection>(p => p.Add(x => x.Access, access).Add(x => x.Actor, ActorOf(TenantRole.Admin)));
        section.WaitForElement("#api-key-name");

        section.Find("#api-key-name").Input("Produc\u0085tion");
        section.Find("#api-key-create").Click();

        section.WaitForAssertion(() => Assert.Contains("(U+0085)", ErrorUnder(section.Find("#api-key-name"))));
        await using var db = Database.CrossTenant();
        Assert.False(await db.ApiKeys.AnyAsync());
    }

    // The error text MudBlazor renders under an input: the helper line of the input's control.
    private static string ErrorUnder(IElement input) =>
        input.Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent ?? "";
}
