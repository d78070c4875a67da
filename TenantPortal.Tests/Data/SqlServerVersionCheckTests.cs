using Microsoft.EntityFrameworkCore;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Microsoft.EntityFrameworkCore.Infrastructure;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

/// <summary>
/// The minimum SQL Server version, SQL Server 2019 (15.x): checked at start-up and in <c>--migrate-only</c>, and what EF
/// Core generates for (compatibility level 150, pinned). No SQL Server runs here: the
/// decision is checked on version strings, the check's commands on a recording connection, EF's SQL as text.
/// </summary>
public class SqlServerVersionCheckTests
{
    [Theory]
    [InlineData(3, "15", true)] // SQL Server 2019 Enterprise
    [InlineData(2, "15.0.2000.5", true)] // a whole version string
    [InlineData(3, "16", true)] // 2022
    [InlineData(4, "17", true)] // a later Express
    [InlineData(5, "12", true)] // Azure SQL Database reports its own release train
    [InlineData(8, "12", true)] // Azure SQL Managed Instance
    [InlineData(3, "14", false)] // 2017
    [InlineData(2, "14.0.3456.2", false)]
    [InlineData(3, "13", false)] // 2016
    [InlineData(4, "11", false)] // 2012 Express
    [InlineData(3, null, false)] // 2008 R2 and older have no ProductMajorVersion
    [InlineData(3, " ", false)]
    [InlineData(3, "fifteen", false)]
    public void Refusal_PassesSqlServer2019AndAzure_AndRefusesOlder(int engineEdition, string? version, bool supported)
    {
        var refusal = SqlServerVersionCheck.Refusal(engineEdition, version);

        Assert.Equal(supported, refusal is null);
        if (refusal is not null)
            Assert.Contains("SQL Server 2019 (15.x)", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_OnSqlServer2017_StopsTheStart_WithOneLineNamingTheMinimum()
    {
        var connection = new RecordingDbConnection { Scalar = sql => sql == SqlServerVersionCheck.EngineEditionSql ? 3 : "14" };

        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => SqlServerVersionCheck.CheckAsync(connection, CancellationToken.None));

        Assert.Equal("ConnectionStrings:Portal", error.Key);
        Assert.Equal("Invalid setting ConnectionStrings:Portal: the server is SQL Server version 14; TenantPortal needs SQL Server 2019 (15.x) or later, "
            + "Azure SQL Database or Azure SQL Managed Instance.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task CheckAsync_ReadsTheEditionAndTheMajorVersion_FromServerProperty()
    {
        var connection = new RecordingDbConnection { Scalar = sql => sql == SqlServerVersionCheck.EngineEditionSql ? 5 : "12" };

        await SqlServerVersionCheck.CheckAsync(connection, CancellationToken.None);

        Assert.Equal([SqlServerVersionCheck.EngineEditionSql, SqlServerVersionCheck.ProductMajorVersionSql], connection.Commands.Select(c => c.Text));
        var properties = new List<string>();
        foreach (var command in connection.Commands)
        {
            var script = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(command.Text), out var errors);
            Assert.Empty(errors);
            var visitor = new ServerPropertyVisitor();
            script.Accept(visitor);
            properties.AddRange(visitor.Properties);
        }
        Assert.Equal(["EngineEdition", "ProductMajorVersion"], properties);
    }

    [Fact]
    public async Task EnsureSupportedAsync_LeavesOtherProvidersAlone()
    {
        var check = new SqlServerVersionCheck(null!, new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=offline" });

        await check.EnsureSupportedAsync(databaseExists: true, CancellationToken.None);
    }

    [Fact]
    public void TheSqlServerContext_GeneratesSqlForSqlServer2019_WhateverEfCoresDefault()
    {
        var options = new DbContextOptionsBuilder<SqlServerPortalDbContext>();
        SqlServerContextOptions.Configure(options, SqlServerDesignTimeFactory.OfflineConnectionString, new TenantSessionContextInterceptor());
        using var db = new SqlServerPortalDbContext(options.Options, new TenantContext());

        // Pinned to 150 (EF Core 10's default): a higher level lets EF Core use functions SQL Server 2019 lacks (GREATEST, …).
#pragma warning disable EF1001 // the level EF generates for is read from its options extension
        var extension = db.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>()
            .FindExtension<Microsoft.EntityFrameworkCore.SqlServer.Infrastructure.Internal.SqlServerOptionsExtension>();
        Assert.Equal(SqlServerContextOptions.CompatibilityLevel, extension!.SqlServerCompatibilityLevel);
#pragma warning restore EF1001
        Assert.Equal(150, SqlServerContextOptions.CompatibilityLevel);
    }

    private sealed class ServerPropertyVisitor : TSqlFragmentVisitor
    {
        public List<string> Properties { get; } = [];

        public override void Visit(FunctionCall node)
        {
            if (string.Equals(node.FunctionName.Value, "SERVERPROPERTY", StringComparison.OrdinalIgnoreCase))
                Properties.Add(((StringLiteral)node.Parameters[0]).Value);
        }
    }
}
