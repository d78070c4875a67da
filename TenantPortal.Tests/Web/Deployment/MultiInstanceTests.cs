using System.Net;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Deployment;

/// <summary>
/// Two instances of the portal (two processes) on one database, as behind a load balancer: what one issues, the other
/// accepts, because the Data Protection keys are in the database (encrypted with the certificate both are given) and not
/// in each instance's home folder, and the sessions too.
/// </summary>
public class MultiInstanceTests
{
    private const string OperatorPassword = "Operator-Multi-2026";

    [Fact]
    public async Task ALoginCookieAndAnAntiforgeryTokenFromOneInstance_AreAcceptedByTheOther()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"tenantportal-instances-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "portal.db");
        try
        {
            // Started one after the other: the first applies the migrations, the second finds them applied.
            await using var first = await StartInstanceAsync(directory, database, "a");
            await using var second = await StartInstanceAsync(directory, database, "b");

            // Signed in on the first instance; the second accepts the cookie (cookies are per host name, not port, as behind one balancer).
            var signedIn = new CookieContainer();
            using (var firstClient = first.CreateClient(signedIn))
            {
                var login = await AccountClient.LogInAsync(firstClient, PortalAppFactory.OperatorEmail, OperatorPassword, "/ops");
                Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            }
            using (var secondClient = second.CreateClient(signedIn))
                Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/ops")).StatusCode);
            using (var anonymous = second.CreateClient(new CookieContainer()))
                Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/ops")).StatusCode);

            // The log-in form (and its antiforgery token) from the first instance, posted to the second.
            var cookies = new CookieContainer();
            using var formClient = first.CreateClient(cookies);
            using var postClient = second.CreateClient(cookies);
            var page = await formClient.GetStringAsync("/Account/Login?ReturnUrl=%2Fops");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
            Assert.True(token.Success);
            var posted = await postClient.PostAsync("/Account/Login?ReturnUrl=%2Fops", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = PortalAppFactory.OperatorEmail,
                ["Input.Password"] = OperatorPassword,
                ["Input.RememberMe"] = "false",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["_handler"] = "login",
            }));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal("/ops", posted.Headers.Location is { IsAbsoluteUri: true } location ? location.AbsolutePath : posted.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await formClient.GetAsync("/ops")).StatusCode);

            // Signed out on the second instance: the session ends on the first as well, for a copy of the cookie too.
            var captured = SessionAccounts.Capture(signedIn);
            using (var secondClient = second.CreateClient(signedIn))
                Assert.Equal(HttpStatusCode.Redirect, (await AccountClient.LogOutAsync(secondClient)).StatusCode);
            using (var firstClient = first.CreateClient(captured))
                Assert.Equal(HttpStatusCode.Redirect, (await firstClient.GetAsync("/ops")).StatusCode);

            // One key ring, in the database, with no plain key material in it; neither instance wrote keys to its home folder.
            await using var db = new SqlitePortalDbContext(
                new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={database};Pooling=False").Options, new TenantContext());
            var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.Contains("<encryptedSecret", key));
            Assert.All(keys, key => Assert.DoesNotContain("<masterKey", key));
            Assert.False(Directory.Exists(Path.Combine(directory, "home-a", ".aspnet", "DataProtection-Keys")));
            Assert.False(Directory.Exists(Path.Combine(directory, "home-b", ".aspnet", "DataProtection-Keys")));
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
            }
        }
    }

    // Development keeps cookies usable over plain HTTP and needs no operator second factor; no demo data. Both get the
    // same certificate for the Data Protection keys (optional in Development, as the production instances need it).
    // Each instance has its own home folder, where Data Protection would keep keys if they were not in the database.
    private static Task<PortalProcess> StartInstanceAsync(string directory, string database, string name)
    {
        var home = Path.Combine(directory, $"home-{name}");
        Directory.CreateDirectory(home);
        var settings = TestCertificates.Settings();
        settings["ConnectionStrings:Portal"] = $"Data Source={database}";
        settings["Operator:Password"] = OperatorPassword;
        settings["Demo:Seed"] = "false";
        settings["Email:PickupDirectory"] = Path.Combine(directory, "mail");
        return PortalProcess.StartAsync(directory, settings, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
        });
    }
}
