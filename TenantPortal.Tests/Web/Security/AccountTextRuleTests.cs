using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// Accounts hold their text to the text rule: Identity (as the portal registers it) refuses a user whose email, display
/// name or phone number holds a control character or a bidirectional control, and the registration, profile and
/// change-email forms show the message under the field; an account stored before the rule can still sign in.
/// </summary>
[Collection(PortalCollection.Name)]
public class AccountTextRuleTests(PortalAppFactory portal)
{
    private const string Password = "Text-Rule-Test-2026";

    public static TheoryData<string, string> UserFields() => HostileText.Cross(["Email", "DisplayName", "PhoneNumber"]);

    [Theory]
    [MemberData(nameof(UserFields))]
    public async Task CreatingAUser_WithAControlOrBidiCharacter_FailsNamingTheField_AndStoresNoUser(string field, string character)
    {
        var bad = HostileText.Characters[character];
        var email = $"rule-{Guid.NewGuid():N}"[..17] + "@example.test";
        var user = new PortalUser { UserName = email, Email = email, CreatedAt = DateTimeOffset.UtcNow };
        switch (field)
        {
            case "Email": user.Email = user.UserName = $"ann{bad}{email}"; break;
            case "DisplayName": user.DisplayName = $"Ann{bad}Lee"; break;
            default: user.PhoneNumber = $"+1 555{bad}0100"; break;
        }
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();

        var result = await users.CreateAsync(user, Password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == $"InvalidCharacters{field}" && e.Description.Contains(HostileText.CodePoint(character)));
        Assert.Null(await users.FindByEmailAsync(email));
        Assert.Null(await users.FindByEmailAsync(user.Email!));
    }

    [Theory]
    [InlineData("NUL")]
    [InlineData("CRLF")]
    [InlineData("RLO")]
    public async Task ChangingTheEmail_ToOneWithAControlOrBidiCharacter_Fails_EvenWithAValidToken(string character)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await NewUserAsync(users);
        var original = user.Email;
        var hostile = $"new{HostileText.Characters[character]}-{original}";
        var token = await users.GenerateChangeEmailTokenAsync(user, hostile);

        var result = await users.ChangeEmailAsync(user, hostile, token);

        Assert.False(result.Succeeded);
        await using var check = portal.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByIdAsync(user.Id);
        Assert.Equal(original, stored!.Email);
    }

    [Fact]
    public async Task AnAccountStoredBeforeTheRule_CanStillSignIn_AndChangeOtherThings_ButNotSetAnotherBadName()
    {
        PortalUser created;
        await using (var scope = portal.Services.CreateAsyncScope())
            created = await NewUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>());
        var (userId, email) = (created.Id, created.Email!);
        // As a user registered before the rule could have: written straight to the table.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Users.Where(x => x.Id == userId).ExecuteUpdateAsync(x => x.SetProperty(p => p.DisplayName, "Legacy\u202Ename"));
        }
        await using var work = portal.Services.CreateAsyncScope();
        var users = work.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(userId))!;

        Assert.True((await users.AccessFailedAsync(user)).Succeeded);
        Assert.True((await users.ResetAccessFailedCountAsync(user)).Succeeded);
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain("/Account/Login", login.Headers.Location?.OriginalString ?? "");

        user.DisplayName = "Another\u2066name";
        Assert.Contains((await users.UpdateAsync(user)).Errors, e => e.Code == "InvalidCharactersDisplayName");
        user.DisplayName = "Fixed name";
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }

    // A NUL never reaches the page: the framework refuses a form holding one before the form is bound (below).
    public static TheoryData<string, string> RegisterFields()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in HostileText.Cross(["Input.Name", "Input.Email"]).Where(r => (string)r[1] != "NUL"))
            data.Add((string)row[0], (string)row[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(RegisterFields))]
    public async Task TheRegistrationForm_ShowsTheMessageUnderTheField_AndCreatesNoAccount(string field, string character)
    {
        var email = $"form-{Guid.NewGuid():N}"[..17] + "@example.test";
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "Ann Lee",
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        };
        fields[field] = field == "Input.Email" ? $"ann{HostileText.Characters[character]}{email}" : $"Ann{HostileText.Characters[character]}Lee";
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.PostFormAsync(client, "/Account/Register", "register", fields);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var page = await response.Content.ReadAsStringAsync();
        AssertMessageUnderAField(page, HostileText.CodePoint(character));
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));
    }

    [Fact]
    public async Task TheRegistrationForm_WithANul_IsRefusedBeforeThePageRuns_AndCreatesNoAccount()
    {
        var email = $"nul-{Guid.NewGuid():N}"[..16] + "@example.test";
        using var client = portal.CreateBrowserLikeClient();

        var response = await AccountClient.PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.Name"] = "Ann\u0000Lee",
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email));
    }

    [Theory]
    [InlineData("CRLF")]
    [InlineData("RLO")]
    public async Task TheChangeEmailForm_ShowsTheMessageUnderTheField_AndSendsNoLink(string character)
    {
        string email;
        await using (var scope = portal.Services.CreateAsyncScope())
            email = (await NewUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>())).Email!;
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, email, Password);

        var response = await AccountClient.PostFormAsync(client, "/Account/Manage/Email", "change-email", new()
        {
            ["Input.NewEmail"] = $"new{HostileText.Characters[character]}{email}",
        });

        var page = await response.Content.ReadAsStringAsync();
        AssertMessageUnderAField(page, HostileText.CodePoint(character));
        Assert.DoesNotContain("Confirmation link to change email sent", page);
    }

    [Fact]
    public async Task TheProfileForm_RefusesADisplayNameWithABidiOverride_UnderTheField()
    {
        string email;
        await using (var scope = portal.Services.CreateAsyncScope())
            email = (await NewUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>())).Email!;
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, email, Password);

        var response = await AccountClient.PostFormAsync(client, "/Account/Manage", "profile", new()
        {
            ["Input.DisplayName"] = "Ann\u202ELee",
            ["Input.PhoneNumber"] = "",
        });

        AssertMessageUnderAField(await response.Content.ReadAsStringAsync(), "(U+202E)");
        await using var check = portal.Services.CreateAsyncScope();
        Assert.Null((await check.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.DisplayName);
    }

    // A field's validation message (AccountTextField renders ValidationMessage under the input) naming the character.
    private static void AssertMessageUnderAField(string page, string codePoint)
    {
        var messages = System.Text.RegularExpressions.Regex.Matches(page, "<div class=\"validation-message\">([^<]*)</div>")
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.True(messages.Any(m => m.Contains(codePoint)), $"no field message names {codePoint}: {string.Join(" | ", messages)}");
    }

    private static async Task<PortalUser> NewUserAsync(UserManager<PortalUser> users)
    {
        var email = $"acct-{Guid.NewGuid():N}"[..17] + "@example.test";
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        return user;
    }
}
