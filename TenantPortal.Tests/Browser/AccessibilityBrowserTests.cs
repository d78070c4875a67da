using System.Text;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// axe-core on every page of the portal, for every visitor who can open it, in the light and the dark theme: no
/// critical or serious finding anywhere. The Hangfire dashboard is not among the pages (third-party markup, see
/// <see cref="PortalPages"/>).
/// </summary>
/// <remarks>
/// Deque's package runs axe through Playwright's <c>EvaluateAsync</c> (the DevTools protocol), which the page's
/// Content-Security-Policy does not govern, and axe itself needs no eval: the browser context keeps the portal's CSP
/// (no BypassCSP). Each visitor signs in once and walks its pages; a report per visitor (page, theme, rule, impact,
/// count) is written next to the test assembly (axe/VISITOR.txt).
/// </remarks>
[Collection(PortalCollection.Name)]
public class AccessibilityBrowserTests(PortalAppFactory portal)
{
    private static readonly string[] Failing = ["critical", "serious"];

    [Theory]
    [InlineData(PortalVisitor.Anonymous)]
    [InlineData(PortalVisitor.Owner)]
    [InlineData(PortalVisitor.Admin)]
    [InlineData(PortalVisitor.Member)]
    [InlineData(PortalVisitor.Viewer)]
    [InlineData(PortalVisitor.Operator)]
    public async Task EveryPage_HasNoCriticalOrSeriousAxeFinding_InLightAndDarkTheme(PortalVisitor visitor)
    {
        var pages = new PortalPages(portal);
        var paths = await pages.PathsOfAsync(visitor);
        await using var session = await BrowserSession.StartAsync(portal, $"Axe{visitor}");
        var page = session.Page;
        await PortalPages.SignInAsync(page, await pages.AccountOfAsync(visitor), paths[0]);

        var findings = new List<Finding>();
        var report = new StringBuilder();
        foreach (var theme in new[] { "light", "dark" })
        {
            if (theme == "dark")
            {
                if (visitor == PortalVisitor.Anonymous)
                    await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
                else
                    await PortalPages.UseDarkThemeAsync(page, paths.First(p => !p.StartsWith("/Account", StringComparison.Ordinal)));
            }
            foreach (var path in paths)
            {
                var landed = await PortalPages.OpenAsync(page, path);
                var painted = await PortalPages.IsDarkAsync(page) ? "dark" : "light";
                var result = await page.RunAxe();
                var serious = result.Violations.Where(v => Failing.Contains(v.Impact)).ToList();
                report.Append($"{theme,-5} {path}").Append(landed == path.Split('?')[0] ? "" : $" -> {landed}")
                    .Append(painted == theme ? "" : $" (painted {painted})")
                    .Append($": critical {serious.Where(v => v.Impact == "critical").Sum(v => v.Nodes.Length)}, serious {serious.Where(v => v.Impact == "serious").Sum(v => v.Nodes.Length)}")
                    .AppendLine();
                foreach (var v in serious)
                {
                    report.AppendLine($"      {v.Impact} {v.Id} x{v.Nodes.Length}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target))}");
                    findings.Add(new Finding(theme, path, v.Id, v.Impact, v.Nodes.Length, v.Nodes.Take(3).Select(n => n.Target.ToString()).ToList()));
                }
            }
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "axe");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{visitor}.txt"), report.ToString());

        Assert.True(findings.Count == 0,
            $"axe found {findings.Sum(f => f.Count)} critical or serious problems on {findings.Select(f => (f.Theme, f.Path)).Distinct().Count()} page views of {visitor}:\n" +
            string.Join('\n', findings.Select(f => $"{f.Path} ({f.Theme}): {f.Rule} [{f.Impact}] x{f.Count} at {string.Join(" | ", f.Targets)}")));
    }

    private sealed record Finding(string Theme, string Path, string Rule, string Impact, int Count, IReadOnlyList<string> Targets);
}
