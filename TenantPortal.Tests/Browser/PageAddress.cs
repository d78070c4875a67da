using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TenantPortal.Tests.Browser;

/// <summary>
/// Waits for the page's address by reading it until it matches (Playwright's <c>ToHaveURL</c>), never by waiting for
/// a navigation event. A tab click navigates inside the circuit (history.pushState), often before the test asks:
/// <c>WaitForURLAsync</c> reads the address, then subscribes to the next navigation, and a pushState landing between
/// the two is never seen — the test then waits for a navigation that already happened.
/// </summary>
public static class PageAddress
{
    /// <summary>
    /// Waits until the page's path is <paramref name="path"/> (query and fragment ignored); <c>*</c> stands for one
    /// path segment, e.g. <c>/t/acme/billing/invoices/*</c>.
    /// </summary>
    public static Task ExpectPathAsync(this IPage page, string path) =>
        Assertions.Expect(page).ToHaveURLAsync(Pattern(path));

    private static Regex Pattern(string path) =>
        new("^https?://[^/]+" + Regex.Escape(path).Replace(@"\*", "[^/?#]+", StringComparison.Ordinal) + @"(\?[^#]*)?(#.*)?$");
}
