using System.Text.Json;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// JSON may escape half of a surrogate pair on its own (<c>"\ud800"</c>): valid JSON, but no text, so reading such a
/// string (a value or a property name) throws. The API parsers look for one and answer 400 naming where it is.
/// </summary>
public static class JsonText
{
    /// <summary>The message for a string that is not text.</summary>
    public const string NotText = "holds a \\u escape of half a surrogate pair, which is not text";

    /// <summary>
    /// Where the first string (value or property name) that can't be read as text is — <c>customDomain</c>,
    /// <c>events[3].id</c>, or <paramref name="path"/> itself — or null when every string is text.
    /// </summary>
    public static string? FindInvalid(JsonElement element, string path = "body")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalid(item, $"{path}[{index++}]") is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path;
                    }
                    // A name the text rule refuses is never echoed: the value is then placed at its parent.
                    var child = !Core.Common.PlainText.IsClean(name) ? path : path == "body" ? name : $"{path}.{name}";
                    if (FindInvalid(property.Value, child) is { } found)
                        return found;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
