using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TenantPortal.Data;
using TenantPortal.Data.Options;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Security;

/// <summary>
/// The Data Protection keys in the database are encrypted with the configured certificate (registered exactly as the
/// portal registers its data layer), so the table alone forges nothing; after a rotation the previous certificate still
/// reads the keys it encrypted.
/// </summary>
public class DataProtectionKeyEncryptionTests : IAsyncLifetime
{
    private const string Purpose = "TenantPortal.Tests.DataProtection";
    private readonly SqliteTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();
    public Task DisposeAsync() => _database.DisposeAsync();

    // A data layer as the portal builds it, in the environment given, with these DataProtection settings.
    private ServiceProvider DataLayer(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            [$"ConnectionStrings:{DatabaseOptions.ConnectionStringName}"] = _database.ConnectionString,
            ["Database:Provider"] = "Sqlite",
        });
        builder.AddDataServices();
        builder.Services.AddSingleton(TimeProvider.System); // the web layer's, which the data layer's caches take
        return builder.Services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Certificate(string path, params string[] previous)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:Certificate:Path"] = path,
            ["DataProtection:Certificate:Password"] = TestCertificates.Password,
        };
        for (var i = 0; i < previous.Length; i++)
            settings[$"DataProtection:Certificate:PreviousPaths:{i}"] = previous[i];
        return settings;
    }

    private async Task<List<string>> StoredKeysAsync()
    {
        await using var db = _database.CreateContext(new TenantContext());
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    [Fact]
    public async Task WithACertificate_TheStoredKeyHoldsOnlyEncryptedKeyMaterial_AndStillProtects()
    {
        await using var portal = DataLayer("Production", Certificate(TestCertificates.Create("current")));
        var protector = portal.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

        var secret = protector.Protect("a cookie's payload");

        var key = Assert.Single(await StoredKeysAsync());
        Assert.Contains("<encryptedSecret", key);
        Assert.Contains("<EncryptedData", key);
        Assert.DoesNotContain("<masterKey", key);
        Assert.Equal("a cookie's payload", protector.Unprotect(secret));
    }

    [Fact]
    public async Task InDevelopment_WithoutACertificate_TheKeyIsStoredPlain_AndTheSettingIsOptional()
    {
        await using var portal = DataLayer("Development", []);

        portal.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("payload");

        Assert.Contains("<masterKey", Assert.Single(await StoredKeysAsync()));
        _ = portal.GetRequiredService<IOptions<DataProtectionCertificateOptions>>().Value;
    }

    [Fact]
    public async Task OutsideDevelopment_WithoutACertificate_TheSettingIsRequired_NamingTheKey()
    {
        await using var portal = DataLayer("Production", []);

        var failure = Assert.Throws<OptionsValidationException>(() => portal.GetRequiredService<IOptions<DataProtectionCertificateOptions>>().Value);

        Assert.Contains("DataProtection:Certificate:Path is required outside Development", failure.Message);
    }

    [Fact]
    public async Task AnotherInstanceWithTheSameCertificate_ReadsWhatTheFirstProtected()
    {
        var certificate = TestCertificates.Create("shared-by-two");
        string secret;
        await using (var first = DataLayer("Production", Certificate(certificate)))
            secret = first.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("issued by the first");

        await using var second = DataLayer("Production", Certificate(certificate));

        Assert.Equal("issued by the first", second.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
    }

    [Fact]
    public async Task AfterARotation_ThePreviousCertificateStillReadsItsKeys_AndWithoutItNothingIsReadable()
    {
        var old = TestCertificates.Create("old");
        var replacement = TestCertificates.Create("new");
        string secret;
        await using (var before = DataLayer("Production", Certificate(old)))
            secret = before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("issued before the rotation");

        await using (var rotated = DataLayer("Production", Certificate(replacement, old)))
            Assert.Equal("issued before the rotation", rotated.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));

        await using var withoutPrevious = DataLayer("Production", Certificate(replacement));
        Assert.ThrowsAny<CryptographicException>(() => withoutPrevious.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(secret));
    }
}
