using Microsoft.AspNetCore.Components;
using TenantPortal.Data.Services;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// A panel or card that shows one tenant's data to the signed-in user. It loads once per tenant (again when the tenant
/// changes, or when the last load left nothing to show), resolves the user as <see cref="Actor"/> for the services, and
/// when the session has ended shows that in <see cref="LoadError"/> instead of loading. Panels that read again on a
/// timer, through the tenant context rather than an actor, use <see cref="LivePanel"/>.
/// </summary>
public abstract class TenantPanel : ComponentBase
{
    private Guid? _loadedFor;

    [Inject] private CurrentUser CurrentUser { get; set; } = default!;

    /// <summary>The signed-in user acting on the tenant; null once the session has ended.</summary>
    protected Actor? Actor { get; private set; }

    /// <summary>What the panel shows instead of its data: the session ended, or the load (or an action) failed.</summary>
    protected string? LoadError { get; set; }

    /// <summary>The tenant whose data the panel shows.</summary>
    protected abstract Guid ShownTenantId { get; }

    /// <summary>Whether the panel holds data for the tenant; while it does not, a new render loads again.</summary>
    protected abstract bool IsLoaded { get; }

    /// <summary>
    /// What the user logs in again to see, for the session-ended message ("the team" gives "… Log in again to see the
    /// team."); null for just "Log in again.".
    /// </summary>
    protected abstract string? SessionEndedSubject { get; }

    /// <summary>Reads the panel's data for <paramref name="actor"/>.</summary>
    protected abstract Task LoadAsync(Actor actor);

    /// <summary>The message shown once the session has ended.</summary>
    public static string SessionEndedMessage(string? subject) =>
        subject is null ? "Your session has ended. Log in again." : $"Your session has ended. Log in again to see {subject}.";

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == ShownTenantId && IsLoaded)
            return;
        _loadedFor = ShownTenantId;
        Actor = await CurrentUser.GetActorAsync();
        await LoadAsync();
    }

    /// <summary>Reads the panel's data again, or says the session has ended.</summary>
    protected Task LoadAsync()
    {
        if (Actor is null)
        {
            LoadError = SessionEndedMessage(SessionEndedSubject);
            return Task.CompletedTask;
        }
        return LoadAsync(Actor);
    }
}
