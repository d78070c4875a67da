using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using TenantPortal.Data.Services.Audit.Export;

namespace TenantPortal.Web.Components.Shared;

/// <summary>The "Export" control of an audit log (a tenant's Settings, the operators' fleet log).</summary>
public partial class AuditExportBar
{
    /// <summary>True when the export is available, false when the plan leaves it out, null while that is not known yet.</summary>
    [Parameter] public bool? Included { get; set; }

    /// <summary>The download's address, with the format and filters.</summary>
    [Parameter, EditorRequired] public string Href { get; set; } = "";

    /// <summary>The chosen format.</summary>
    [Parameter] public AuditExportFormat Format { get; set; }

    /// <summary>Raised when the user picks another format.</summary>
    [Parameter] public EventCallback<AuditExportFormat> FormatChanged { get; set; }

    /// <summary>The prefix of the element ids (<c>{prefix}-button</c>, <c>{prefix}-format</c>, <c>{prefix}-not-included</c>).</summary>
    [Parameter, EditorRequired] public string IdPrefix { get; set; } = "";

    /// <summary>What is shown when the plan leaves the export out.</summary>
    [Parameter] public string NotIncludedText { get; set; } = "Exporting the audit log is not included in your plan.";

    /// <summary>Where to choose a plan that includes it, when the viewer can go there.</summary>
    [Parameter] public string? UpgradeHref { get; set; }

    /// <summary>
    /// The download address: <paramref name="path"/> with the format and the filters as the log's pickers hold them (UTC
    /// calendar days; "to" includes its whole day, so it is sent as the next midnight, exclusive).
    /// </summary>
    public static string Link(string path, AuditExportFormat format, string? action, string? actor, DateTime? from, DateTime? to, string? tenant = null)
    {
        var query = new Dictionary<string, string?> { ["format"] = AuditExportFormats.Extension(format) };
        if (from is { } f)
            query["from"] = f.Date.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        if (to is { } t)
            query["to"] = t.Date.AddDays(1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(action))
            query["action"] = action;
        if (!string.IsNullOrWhiteSpace(actor))
            query["actor"] = actor;
        if (!string.IsNullOrWhiteSpace(tenant))
            query["tenant"] = tenant.Trim();
        return QueryHelpers.AddQueryString(path, query);
    }
}
