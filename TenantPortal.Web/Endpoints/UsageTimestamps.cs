using System.Globalization;
using System.Text.Json;

namespace TenantPortal.Web.Endpoints;

/// <summary>How the usage API reads an event's timestamp: the ingestion batch and a usage correction alike.</summary>
public static class UsageTimestamps
{
    /// <summary>
    /// Reads an ISO 8601 time. The JSON reader takes it without culture rules; when it yields offset zero (a "Z" or
    /// "+00:00", or no offset on a UTC machine) that is the instant meant. Any other form goes through the lenient parse,
    /// which takes a time without offset as UTC.
    /// </summary>
    public static bool TryParse(JsonElement element, out DateTimeOffset timestamp)
    {
        if (element.TryGetDateTimeOffset(out timestamp) && timestamp.Offset == TimeSpan.Zero)
            return true;
        if (DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp))
        {
            timestamp = timestamp.ToUniversalTime();
            return true;
        }
        return false;
    }
}
