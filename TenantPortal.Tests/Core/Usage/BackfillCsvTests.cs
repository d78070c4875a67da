using TenantPortal.Core.Usage;

namespace TenantPortal.Tests.Core.Usage;

/// <summary>The operators' backfill file: parsed whole or refused with every problem named by line and column.</summary>
public class BackfillCsvTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ReadsEveryLine_AsABackfillItem()
    {
        var (items, errors) = BackfillCsv.Parse(
            "\uFEFFid, metric ,quantity,timestamp\r\ne-1,api_calls,1500,2026-10-14T09:30:00Z\r\n\"e,2\",gpu_hours,2.25,2026-10-20T00:00:00+02:00\r\n\r\n", Now);

        Assert.Empty(errors);
        Assert.Equal(
        [
            new UsageCorrectionItem("e-1", UsageCorrectionAction.Backfill, 1_500m, UsageMetric.ApiCalls, new DateTimeOffset(2026, 10, 14, 9, 30, 0, TimeSpan.Zero)),
            new UsageCorrectionItem("e,2", UsageCorrectionAction.Backfill, 2.25m, UsageMetric.GpuHours, new DateTimeOffset(2026, 10, 19, 22, 0, 0, TimeSpan.Zero)),
        ], items);
    }

    [Fact]
    public void Parse_NamesTheLineAndColumn_OfEveryProblem_AndReturnsNoItems()
    {
        var csv = string.Join('\n',
            "id,metric,quantity,timestamp",
            "ok-1,api_calls,10,2026-10-01T00:00:00Z",
            "bad-metric,storage_gb,10,2026-10-01T00:00:00Z",
            "bad-quantity,api_calls,-3,2026-10-01T00:00:00Z",
            "bad-number,api_calls,12;5,2026-10-01T00:00:00Z",
            "bad-time,gpu_hours,1,14/10/2026",
            "future,gpu_hours,1,2026-11-23T00:00:00Z",
            "ok-1,api_calls,1,2026-10-02T00:00:00Z",
            "~reserved,api_calls,1,2026-10-02T00:00:00Z",
            "short,api_calls,1",
            "\"open,api_calls,1,2026-10-02T00:00:00Z",
            "too-precise,gpu_hours,1.0000001,2026-10-02T00:00:00Z",
            "too-old,api_calls,1,2025-11-01T00:00:00Z");

        var (items, errors) = BackfillCsv.Parse(csv, Now);

        Assert.Empty(items);
        Assert.Equal(
        [
            (3, "metric"), (4, "quantity"), (5, "quantity"), (6, "timestamp"), (7, "timestamp"), (8, "id"), (9, "id"), (10, null), (11, null),
            (12, "quantity"), (13, "timestamp"),
        ], errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("not a counter", errors[0].Message);
        Assert.Contains("already on line 2", errors[5].Message);
        Assert.Equal("Line 4, quantity: The quantity can't be negative.", errors[1].ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("event,metric,quantity,timestamp\ne,api_calls,1,2026-10-01T00:00:00Z", "header")]
    [InlineData("id,metric,quantity,timestamp\n", "no events")]
    public void Parse_RefusesTheFile_WithoutHeaderOrEvents(string csv, string message)
    {
        var (items, errors) = BackfillCsv.Parse(csv, Now);

        Assert.Empty(items);
        Assert.Contains(message, Assert.Single(errors).Message);
    }

    [Fact]
    public void Parse_RefusesMoreEventsThanOneCorrectionHolds_AndAnOversizedFile()
    {
        var many = "id,metric,quantity,timestamp\n" + string.Join('\n', Enumerable.Range(0, 1_001).Select(i => $"e{i},api_calls,1,2026-10-01T00:00:00Z"));
        Assert.Contains("at most 1,000 events", Assert.Single(BackfillCsv.Parse(many, Now).Errors).Message);

        var big = "id,metric,quantity,timestamp\n" + new string('x', BackfillCsv.MaxBytes);
        Assert.Contains("larger than 256 KB", Assert.Single(BackfillCsv.Parse(big, Now).Errors).Message);
    }
}
