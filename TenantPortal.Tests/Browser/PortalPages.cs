using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Components.Tenant;
using TenantPortal.Web.Components.Tenant.Settings;

namespace TenantPortal.Tests.Browser;

/// <summary>Who opens the portal's pages in <see cref="PortalPages"/>: nobody, a member of acme with a role, or an operator.</summary>
public enum PortalVisitor
{
    Anonymous,
    Owner,
    Admin,
    Member,
    Viewer,
    Operator,
}

/// <summary>
/// Every page of the portal, for every visitor who can open it: the anonymous account pages; the tenant pages of acme
/// (every tab the role sees and every Settings section, an invoice when it sees billing, the create-workspace page); the operator pages and the
/// account-management pages. The Hangfire dashboard (/hangfire) is left out on purpose: it is third-party markup the
/// portal does not write. Used by the accessibility and phone-layout tests, which open each page once per visitor.
/// </summary>
public sealed class PortalPages(PortalAppFactory portal)
{
    /// <summary>The anonymous pages: what a person who is not signed in can open.</summary>
    public static readonly IReadOnlyList<string> AnonymousPaths =
    [
        "/Account/Login",
        "/Account/Register",
        "/Account/ForgotPassword",
        "/Account/ForgotPasswordConfirmation",
        "/Account/ResendEmailConfirmation",
        "/Account/ResetPassword?code=bm90LWEtcmVhbC1jb2Rl",
        "/Account/ResetPasswordConfirmation",
        "/Account/InvalidPasswordReset",
        "/Account/InvalidUser",
        "/Account/Lockout",
        "/invitations/accept?token=not-a-real-token",
        "/not-found",
    ];

    /// <summary>The account-management pages a signed-in person (here: an operator) opens from the user menu.</summary>
    public static readonly IReadOnlyList<string> ManagePaths =
    [
        "/Account/Manage",
        "/Account/Manage/Email",
        "/Account/Manage/ChangePassword",
        "/Account/Manage/TwoFactorAuthentication",
        "/Account/Manage/Sessions",
        "/Account/Manage/ExternalLogins",
        "/Account/Manage/PersonalData",
        "/Account/Manage/DeletePersonalData",
        "/Account/Manage/ResetAuthenticator",
        // Last: opening it gives the account an authenticator key (the throwaway operator of the test).
        "/Account/Manage/EnableAuthenticator",
    ];

    /// <summary>The account that signs in as <paramref name="visitor"/>, or null for nobody.</summary>
    public async Task<(string Email, string Password)?> AccountOfAsync(PortalVisitor visitor)
    {
        switch (visitor)
        {
            case PortalVisitor.Anonymous:
                return null;
            case PortalVisitor.Operator:
                // A throwaway operator: the manage pages give their account an authenticator key.
                var op = await SessionAccounts.OperatorAsync(portal);
                return (op.Email, SessionAccounts.Password);
            default:
                return ($"{visitor.ToString().ToLowerInvariant()}@acme.test", PortalAppFactory.DemoPassword);
        }
    }

    /// <summary>The addresses <paramref name="visitor"/> can open, in the order a test visits them.</summary>
    public async Task<IReadOnlyList<string>> PathsOfAsync(PortalVisitor visitor)
    {
        if (visitor == PortalVisitor.Anonymous)
            return AnonymousPaths;
        if (visitor == PortalVisitor.Operator)
        {
            var initech = await TenantIdAsync("initech");
            string[] ops = ["/ops", "/ops/tenants", $"/ops/tenants/{initech}", "/ops/jobs", "/ops/audit", "/ops/invoices", "/ops/billing/events", "/ops/operators", "/"];
            return [.. ops, .. ManagePaths];
        }

        var role = Enum.Parse<TenantRole>(visitor.ToString());
        var paths = TenantTabs.VisibleTo(role).Select(tab => "/" + TenantTabs.Path("acme", tab)).ToList();
        // Settings' own sections (/t/acme/settings opens the first; the others have addresses of their own).
        paths.AddRange(SettingsSections.VisibleTo(role).Skip(1).Select(section => "/" + SettingsSections.Path("acme", section)));
        if (TenantTabs.IsVisibleTo(TenantTab.Billing, role))
            paths.Add($"/t/acme/billing/invoices/{await AcmeInvoiceWithOverageAsync()}");
        paths.Add("/tenants/new");
        // The workspace list (a member of one workspace is taken straight to it).
        paths.Add("/");
        return paths;
    }

    /// <summary>Signs <paramref name="page"/> in as the account (nothing for nobody), landing on <paramref name="firstPath"/>.</summary>
    public static async Task SignInAsync(IPage page, (string Email, string Password)? account, string firstPath)
    {
        if (account is { } a)
            await BrowserSession.LogInAsync(page, a.Email, a.Password, firstPath.Split('?')[0], interactive: false);
    }

    /// <summary>
    /// Opens <paramref name="path"/> and waits until it shows its content: loaded, the circuit up when the page is
    /// interactive (account pages render statically), and no loading bar left. Returns the path it landed on.
    /// </summary>
    public static async Task<string> OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.Load);
        var landed = new Uri(page.Url).AbsolutePath;
        if (!landed.StartsWith("/Account", StringComparison.OrdinalIgnoreCase))
            await BrowserSession.WaitForInteractiveAsync(page);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.mud-progress-linear.mud-progress-indeterminate').length === 0");
        // Let MudBlazor's transitions (drawer, popovers, fades) settle before anything is measured.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))");
        return landed;
    }

    /// <summary>True when the page is painted dark (the body's background is dark).</summary>
    public static Task<bool> IsDarkAsync(IPage page) => page.EvaluateAsync<bool>(
        """
        () => {
            const m = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g).map(Number);
            return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) < 128;
        }
        """);

    /// <summary>
    /// Switches the signed-in browser to the dark theme: the OS preference (which the shell follows until the person
    /// chooses) and, where the shell does not follow it, the app bar's toggle on an interactive page.
    /// </summary>
    public static async Task UseDarkThemeAsync(IPage page, string interactivePath)
    {
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await OpenAsync(page, interactivePath);
        if (await IsDarkAsync(page))
            return;
        await page.ClickAsync("#dark-mode-toggle");
        await page.WaitForFunctionAsync(
            "() => { const m = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g).map(Number); return (0.2126*m[0] + 0.7152*m[1] + 0.0722*m[2]) < 128; }");
    }

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private async Task<string> AcmeInvoiceWithOverageAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var acme = await TenantIdAsync("acme");
        return await db.Invoices.Where(i => i.TenantId == acme && i.Lines.Any(l => l.Metric != null)).Select(i => i.Number).FirstAsync();
    }
}
