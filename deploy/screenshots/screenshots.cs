#:package Microsoft.Playwright
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
// Takes the README's screenshots from a running portal with the demo data:
//   dotnet run deploy/screenshots/screenshots.cs -- http://127.0.0.1:5080 docs
// deploy/screenshots.sh starts a throwaway portal and runs this. Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
using Microsoft.Playwright;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
var folder = args.Length > 1 ? args[1] : "docs";
var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
Directory.CreateDirectory(folder);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });

await ShootAsync("screenshot.png", new() { Width = 1440, Height = 900 }, ColorScheme.Light, "/t/acme");
await ShootAsync("screenshot-usage-dark.png", new() { Width = 1440, Height = 900 }, ColorScheme.Dark, "/t/acme/usage");
await ShootAsync("screenshot-phone.png", new() { Width = 390, Height = 844 }, ColorScheme.Light, "/t/initech");
await ShootAsync("screenshot-phone-users.png", new() { Width = 390, Height = 844 }, ColorScheme.Dark, "/t/acme/users");
Console.WriteLine($"Screenshots written to {Path.GetFullPath(folder)}");

async Task ShootAsync(string name, ViewportSize viewport, ColorScheme scheme, string path)
{
    var email = path.StartsWith("/t/initech", StringComparison.Ordinal) ? "owner@initech.test" : "owner@acme.test";
    await using var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = viewport, ColorScheme = scheme, DeviceScaleFactor = viewport.Width < 600 ? 2 : 1 });
    var page = await context.NewPageAsync();
    page.SetDefaultTimeout(60_000);
    await page.GotoAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(path)}");
    await page.FillAsync("[id='Input.Email']", email);
    await page.FillAsync("[id='Input.Password']", "Demo-Portal-2026");
    await page.ClickAsync("#login-submit");
    await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == path);
    await page.Locator("#shell-state[data-interactive='True']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    await page.WaitForTimeoutAsync(1000); // charts and progress bars animate in
    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name) });
    Console.WriteLine($"  {name}: {email} on {path}, {viewport.Width}x{viewport.Height}, {scheme}");
}
