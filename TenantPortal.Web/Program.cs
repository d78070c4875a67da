using TenantPortal.Data;
using TenantPortal.Web.Startup;

if (HealthProbe.IsRequested(args))
    return await HealthProbe.RunAsync(args);

try
{
    var migrateOnly = MigrateOnly.IsRequested(args);
    var builder = WebApplication.CreateBuilder(MigrateOnly.WithoutArgument(args));
    builder.AddDataServices();
    builder.AddWebServices();
    builder.AddJobs();

    var app = builder.Build();
    if (migrateOnly)
        return await MigrateOnly.RunAsync(app);
    // The database first (reachable, supported, migrated with Database:AutoMigrate): the pipeline's job storage and
    // recurring jobs, the operator and the Data Protection keys all need it.
    await app.InitializeAsync();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.TryDescribe(ex, out var message))
{
    // A bad setting stops the app with one line that names the key.
    Console.Error.WriteLine(message);
    return 1;
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
