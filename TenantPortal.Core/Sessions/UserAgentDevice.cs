namespace TenantPortal.Core.Sessions;

/// <summary>
/// The browser and operating system a <c>User-Agent</c> header names, told simply enough for a person to recognise
/// their own devices in a list of sessions ("Firefox on Linux"). Not a full parser: the common browsers and systems,
/// anything else as unknown. The header is the client's to choose, so this is a hint, never evidence.
/// </summary>
/// <param name="Browser">The browser's name, or null when not recognised.</param>
/// <param name="OperatingSystem">The operating system's name, or null when not recognised.</param>
public sealed record UserAgentDevice(string? Browser, string? OperatingSystem)
{
    // Order matters: Edge, Opera and Samsung Internet also say "Chrome" and "Safari"; Chrome also says "Safari".
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("Edge/", "Edge"),
        ("OPR/", "Opera"), ("Opera", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"), ("HeadlessChrome/", "Chrome"), ("Chromium/", "Chromium"), ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
        ("curl/", "curl"),
    ];

    // Order matters: Android says "Linux", iOS says "like Mac OS X", ChromeOS says "Linux" in some versions.
    private static readonly (string Token, string Name)[] Systems =
    [
        ("Windows", "Windows"),
        ("iPhone", "iOS"), ("iPod", "iOS"), ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Macintosh", "macOS"), ("Mac OS X", "macOS"),
        ("Linux", "Linux"), ("X11", "Linux"),
    ];

    /// <summary>Reads <paramref name="userAgent"/>; null or empty gives an unknown device.</summary>
    public static UserAgentDevice Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
            return new UserAgentDevice(null, null);
        var browser = Browsers.FirstOrDefault(b => userAgent.Contains(b.Token, StringComparison.Ordinal)).Name;
        // Safari's "Version/…" only counts when the agent also says Safari (other WebKit apps say Version too).
        if (browser == "Safari" && !userAgent.Contains("Safari/", StringComparison.Ordinal))
            browser = null;
        var system = Systems.FirstOrDefault(s => userAgent.Contains(s.Token, StringComparison.Ordinal)).Name;
        return new UserAgentDevice(browser, system);
    }

    /// <summary>"Firefox on Linux", "Chrome", "Unknown browser on Windows" or "Unknown device".</summary>
    public override string ToString() => (Browser, OperatingSystem) switch
    {
        (null, null) => "Unknown device",
        (null, { } system) => $"Unknown browser on {system}",
        ({ } browser, null) => browser,
        ({ } browser, { } system) => $"{browser} on {system}",
    };
}
