namespace TenantPortal.Core.Usage;

/// <summary>UTC period arithmetic: bucket starts and time-weighted averages of gauges.</summary>
public static class PeriodMath
{
    /// <summary>Start of the UTC hour of <paramref name="at"/>.</summary>
    public static DateTimeOffset HourStart(DateTimeOffset at)
    {
        var u = at.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Start of the UTC day of <paramref name="at"/>.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset at)
    {
        var u = at.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, u.Day, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Start of the UTC calendar month (the billing period) of <paramref name="at"/>.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var u = at.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>
    /// The time-weighted average level of a gauge over [<paramref name="from"/>, <paramref name="to"/>):
    /// each reading holds until the next one; the level before the first reading in the period is the last
    /// reading before it (or zero). For storage over a month this is the GB-months billed.
    /// </summary>
    public static decimal TimeWeightedAverage(IEnumerable<(DateTimeOffset At, decimal Level)> readings, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return 0;
        var ordered = readings.OrderBy(r => r.At).ToList();
        var level = 0m;
        foreach (var r in ordered)
        {
            if (r.At > from)
                break;
            level = r.Level;
        }
        var cursor = from;
        var weighted = 0m;
        foreach (var r in ordered.Where(r => r.At > from && r.At < to))
        {
            weighted += level * (decimal)(r.At - cursor).TotalHours;
            cursor = r.At;
            level = r.Level;
        }
        weighted += level * (decimal)(to - cursor).TotalHours;
        return weighted / (decimal)(to - from).TotalHours;
    }
}
