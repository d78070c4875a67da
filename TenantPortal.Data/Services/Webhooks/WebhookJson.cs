using System.Text.Encodings.Web;
using System.Text.Json;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>How event bodies are written: camelCase, compact, nulls kept (a receiver sees every field of the type).</summary>
internal static class WebhookJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
