using TenantPortal.Data.Options;

namespace TenantPortal.Web.Options;

/// <summary>The <c>Hangfire</c> section: where jobs are stored.</summary>
public sealed record HangfireOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Hangfire";

    /// <summary>The storage.</summary>
    public JobStorageKind Storage { get; init; }

    /// <summary>Reads the section; the storage decides what is registered, so a bad value throws naming the key.</summary>
    public static HangfireOptions Read(IConfiguration configuration, DatabaseOptions database)
    {
        var text = configuration.GetSection(SectionName)["Storage"];
        if (string.IsNullOrWhiteSpace(text))
            return new HangfireOptions
            {
                Storage = database.Provider switch
                {
                    DatabaseProvider.SqlServer => JobStorageKind.SqlServer,
                    DatabaseProvider.PostgreSql => JobStorageKind.PostgreSql,
                    _ => JobStorageKind.InMemory,
                },
            };
        if (!Enum.TryParse<JobStorageKind>(text, ignoreCase: true, out var storage) || !Enum.IsDefined(storage))
            throw new InvalidSettingException($"{SectionName}:Storage", $"'{text}' is not supported; use InMemory, SqlServer or PostgreSql.");
        if (storage == JobStorageKind.SqlServer && database.Provider != DatabaseProvider.SqlServer)
            throw new InvalidSettingException($"{SectionName}:Storage", "SqlServer job storage needs Database:Provider=SqlServer (it shares ConnectionStrings:Portal).");
        if (storage == JobStorageKind.PostgreSql && database.Provider != DatabaseProvider.PostgreSql)
            throw new InvalidSettingException($"{SectionName}:Storage", "PostgreSql job storage needs Database:Provider=PostgreSql (it shares ConnectionStrings:Portal).");
        return new HangfireOptions { Storage = storage };
    }
}
