using System.Globalization;
using System.Text.RegularExpressions;

namespace TenantPortal.Web.Operations;

/// <summary>Common cron expressions in words; any other expression is shown as it is.</summary>
public static partial class CronText
{
    /// <summary>The expression in words ("every 5 minutes", "daily at 03:00"), or the expression itself.</summary>
    public static string Describe(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            return cron;
        var (minute, hour, day, month, weekday) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (day != "*" || month != "*" || weekday != "*")
            return cron;
        if (minute == "*" && hour == "*")
            return "every minute";
        if (hour == "*" && EveryN().Match(minute) is { Success: true } every)
            return $"every {every.Groups[1].Value} minutes";
        if (hour == "*" && Number().IsMatch(minute))
            return minute == "0" ? "hourly" : $"hourly at :{int.Parse(minute, CultureInfo.InvariantCulture):00}";
        if (Number().IsMatch(minute) && Number().IsMatch(hour))
            return $"daily at {int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(minute, CultureInfo.InvariantCulture):00}";
        return cron;
    }

    [GeneratedRegex(@"^\*/(\d+)$")]
    private static partial Regex EveryN();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex Number();
}
