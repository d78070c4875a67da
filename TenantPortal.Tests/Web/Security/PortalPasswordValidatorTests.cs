using TenantPortal.Data.Identity;
using TenantPortal.Web.Security.Passwords;

namespace TenantPortal.Tests.Web.Security;

/// <summary>The password rules beyond the minimum length, on the validator itself.</summary>
public class PortalPasswordValidatorTests
{
    private static readonly CommonPasswords Common = new();
    private static readonly PortalUser User = new() { UserName = "jane.doe@example.test", Email = "jane.doe@example.test" };

    [Theory]
    [InlineData("Demo-Portal-2026")]
    [InlineData("correct staple lamp orbit")]
    [InlineData("Operator-Test-2026")]
    [InlineData("Brand-New-Pass-1")]
    [InlineData("vQ3_kd8-Jd0aZs1mWq7pLx2c")]
    [InlineData("lowercase only but long enough")]
    public async Task Accepts_LongUncommonPasswords_WithoutAnyCompositionRule(string password)
    {
        var result = await ValidateAsync(password);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    [Theory]
    [InlineData("passwordpassword")]
    [InlineData("PASSWORD-PASSWORD")]
    [InlineData("Password2026!!!!")]
    [InlineData("QwertyuiopAsdfghjkl")]
    [InlineData("Qwerty123456789")]
    [InlineData("1q2w3e4r5t6y")]
    [InlineData("iloveyou123456")]
    [InlineData("Correct Horse Battery Staple")]
    [InlineData("welcome-2026-!!")]
    public async Task Refuses_CommonPasswords_WhateverTheCaseSeparatorsOrTrailingDigits(string password)
    {
        var result = await ValidateAsync(password);

        Assert.Contains(result.Errors, e => e.Code == "PasswordCommon");
    }

    [Theory]
    [InlineData("zzzzzzzzzzzzzz")]
    [InlineData("xyzxyzxyzxyzxyz")]
    [InlineData("567890123456")]
    [InlineData("mnopqrstuvwxyz")]
    [InlineData("876543210987")]
    public async Task Refuses_RepeatedOrSequentialRuns(string password)
    {
        var result = await ValidateAsync(password);

        Assert.Contains(result.Errors, e => e.Code == "PasswordRepetitive");
    }

    [Theory]
    [InlineData("my jane.doe@example.test pw")]
    [InlineData("Jane.Doe-2026!!!")]
    [InlineData("JaneDoe123456")]
    public async Task Refuses_TheUsersEmail_OrItsNameWithDigitsAfterIt(string password)
    {
        var result = await ValidateAsync(password);

        Assert.Contains(result.Errors, e => e.Code == "PasswordContainsUserName");
    }

    [Theory]
    [InlineData("Tenant-Portal-Rocks")]
    [InlineData("mytenantportalpassword")]
    public async Task Refuses_TheSitesName(string password)
    {
        var result = await ValidateAsync(password);

        Assert.Contains(result.Errors, e => e.Code == "PasswordContainsSiteName");
    }

    [Fact]
    public async Task Refuses_PasswordsLongerThanTheMaximum_AndAcceptsOneAtTheMaximum()
    {
        var atMaximum = string.Concat(Enumerable.Range(0, 16).Select(i => $"w{i:D2}rd-k{i % 7}"))[..PortalPasswordValidator.MaximumLength];

        Assert.True((await ValidateAsync(atMaximum)).Succeeded);
        Assert.Contains((await ValidateAsync(atMaximum + "x")).Errors, e => e.Code == "PasswordTooLong");
    }

    [Fact]
    public void TheEmbeddedList_IsLoaded()
    {
        Assert.True(Common.Count > 300, $"only {Common.Count} entries");
    }

    private static Task<Microsoft.AspNetCore.Identity.IdentityResult> ValidateAsync(string password) =>
        new PortalPasswordValidator(Common).ValidateAsync(null!, User, password);
}
