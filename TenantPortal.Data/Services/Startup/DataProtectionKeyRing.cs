using Microsoft.AspNetCore.DataProtection;

namespace TenantPortal.Data.Services.Startup;

/// <summary>
/// Loads the Data Protection key ring at start-up under <see cref="IStartupLock"/>, so that instances started together on
/// a database without keys share one key. Unlocked, each found no key and made its own, and a cookie or antiforgery
/// token issued by one was refused by another once Data Protection's two minutes of reloading on a missing key had
/// passed (until its key ring's next refresh, up to a day later).
/// </summary>
public sealed class DataProtectionKeyRing(IStartupLock startupLock, IDataProtectionProvider protection)
{
    /// <summary>The start-up lock's name.</summary>
    public const string LockName = "TenantPortal.DataProtection.KeyRing";

    /// <summary>Reads the keys (making the first if there is none) while no other instance does.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await using (await startupLock.AcquireAsync(LockName, cancellationToken))
        {
            // Protecting anything reads the key ring from the database, and makes and stores a key when none is usable.
            protection.CreateProtector(LockName).Protect([1]);
        }
    }
}
