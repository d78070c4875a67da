namespace TenantPortal.Data.Services.Metering;

/// <summary>A page of the rolled-up usage history, oldest period first.</summary>
/// <param name="Items">The periods of this page.</param>
/// <param name="Next">The key to continue after; null on the last page.</param>
/// <param name="From">The range's start actually used (the default when none was given).</param>
/// <param name="To">The range's end actually used.</param>
public sealed record UsageHistoryPage(IReadOnlyList<UsageHistoryPoint> Items, UsageHistoryKey? Next, DateTimeOffset From, DateTimeOffset To);
