using Microsoft.Extensions.Options;
using TenantPortal.Data.Options;

namespace TenantPortal.Web.Startup;

/// <summary>Turns a bad setting found at start-up into one line that names the key.</summary>
public static class StartupErrors
{
    /// <summary>True when <paramref name="exception"/> (or what it wraps) is a configuration error; <paramref name="message"/> is the line to print.</summary>
    public static bool TryDescribe(Exception exception, out string message)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case InvalidSettingException setting:
                    message = setting.Message;
                    return true;
                case OptionsValidationException validation:
                    message = "Invalid setting: " + string.Join(" ", validation.Failures.Select(Clean));
                    return true;
                case InvalidOperationException op when op.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    message = "Invalid setting: " + op.Message;
                    return true;
            }
        }
        message = "";
        return false;
    }

    // DataAnnotations failures read "DataAnnotation validation failed for 'X' members: 'Y' with the error: '...'."; keep the error.
    private static string Clean(string failure)
    {
        const string marker = "with the error: '";
        var at = failure.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? failure : failure[(at + marker.Length)..].TrimEnd('.', '\'') ;
    }
}
