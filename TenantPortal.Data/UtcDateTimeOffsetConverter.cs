using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace TenantPortal.Data;

/// <summary>Takes a <see cref="DateTimeOffset"/> to UTC (the same instant, offset zero) on its way to the database.</summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(),
    v => v.ToUniversalTime());
