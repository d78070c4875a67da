namespace TenantPortal.Web.Components.Layout;

/// <summary>
/// The person's choice of theme, kept in a cookie so that the server renders the page in it from the first paint.
/// No cookie: the portal follows the browser's <c>prefers-color-scheme</c>. The cookie is written in the browser when
/// the person toggles the theme (<c>MainLayout.razor.js</c>); it holds no personal data and is not sent anywhere else.
/// </summary>
public static class ThemeCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "tenantportal.theme";

    /// <summary>The value for dark.</summary>
    public const string Dark = "dark";

    /// <summary>The value for light.</summary>
    public const string Light = "light";

    /// <summary>True for dark, false for light, null when the person has not chosen (or the value is not one of ours).</summary>
    public static bool? Read(string? value) => value switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };

    /// <summary>The cookie value for a choice.</summary>
    public static string ValueOf(bool darkMode) => darkMode ? Dark : Light;
}
