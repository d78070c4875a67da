using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TenantPortal.Web.Health;

/// <summary>Writes a health report as JSON: overall status and each check's status and description.</summary>
public static class HealthResponseWriter
{
    /// <summary>The response writer for <c>MapHealthChecks</c>.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalMilliseconds = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                error = e.Value.Exception?.Message,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
