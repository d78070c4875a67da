using Microsoft.Extensions.Options;
using TenantPortal.Core.Notifications;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Email;

/// <summary>Writes each message as one <c>.eml</c> file in <c>Email:PickupDirectory</c> (the default: nothing leaves the machine).</summary>
public sealed class PickupDirectoryMailSender(IOptions<EmailOptions> options, IWebHostEnvironment environment, TimeProvider time) : IMailSender
{
    /// <summary>The resolved pickup folder.</summary>
    public string Directory => Path.IsPathRooted(options.Value.PickupDirectory)
        ? options.Value.PickupDirectory
        : Path.Combine(environment.ContentRootPath, options.Value.PickupDirectory);

    /// <inheritdoc />
    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        System.IO.Directory.CreateDirectory(Directory);
        var message = MimeMessages.Create(email, options.Value.From, now);
        var file = Path.Combine(Directory, $"{now:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
        // Written under a temporary name and renamed, so a reader never sees half a message.
        var temp = file + ".tmp";
        await message.WriteToAsync(temp, cancellationToken);
        File.Move(temp, file);
    }
}
