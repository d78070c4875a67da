using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Domains;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The Domains section of the Settings tab.</summary>
public partial class DomainsSection
{
    private IReadOnlyList<DomainRow>? _domains;
    private string? _name;
    private string? _nameError;
    private DomainCheck? _check;
    private bool _busy;

    [Inject] private DomainService Domains { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    // The roles an auto-join may give: never Owner, never above the admin's own role.
    private IEnumerable<TenantRole> JoinRoles => new[] { TenantRole.Viewer, TenantRole.Member, TenantRole.Admin }.Where(r => r <= Access.Role);

    /// <inheritdoc />
    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var result = await Domains.ListAsync(Actor, CancellationToken.None);
        if (result.IsSuccess)
            _domains = result.Value;
        else
        {
            _domains = [];
            Snackbar.Add(result.Error.Message, Severity.Error);
        }
    }

    private static string AffiliationHelp(DomainRow domain) => domain.Affiliation switch
    {
        DomainAffiliation.Auto => $"People who sign up with a confirmed @{domain.Name} address join as {domain.AffiliationRole}, while seats last.",
        DomainAffiliation.Suggest => $"People who sign up with a confirmed @{domain.Name} address are offered to join, as Member.",
        _ => "People join only by invitation.",
    };

    private async Task OnNameKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
            await AddAsync();
    }

    private async Task AddAsync()
    {
        if (_busy)
            return;
        if (string.IsNullOrWhiteSpace(_name))
        {
            _nameError = "Enter the domain, such as acme.com.";
            return;
        }
        _busy = true;
        try
        {
            var result = await Domains.AddAsync(Actor, _name, CancellationToken.None);
            if (!result.IsSuccess)
            {
                if (result.Error.Field == DomainService.NameField)
                    _nameError = result.Error.Message;
                else
                    Snackbar.Add(result.Error.Message, Severity.Error);
                return;
            }
            _name = null;
            _check = null;
            Snackbar.Add($"{result.Value.Name} was added. Publish its TXT record, then choose Verify now.", Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task VerifyAsync(DomainRow domain)
    {
        _busy = true;
        try
        {
            var result = await Domains.VerifyAsync(Actor, domain.Id, CancellationToken.None);
            if (result.IsSuccess)
            {
                _check = result.Value.Check;
                if (result.Value.Check.Found)
                    Snackbar.Add($"{domain.Name} is verified.", Severity.Success);
            }
            else
            {
                _check = new DomainCheck(DomainCheckOutcome.WrongValue, result.Error.Message);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetAffiliationAsync(DomainRow domain, DomainAffiliation affiliation, TenantRole role)
    {
        _busy = true;
        try
        {
            var result = await Domains.SetAffiliationAsync(Actor, domain.Id, affiliation, role, CancellationToken.None);
            if (result.IsSuccess)
                Snackbar.Add($"Sign-ups on {domain.Name}: {AffiliationHelp(result.Value)}", Severity.Success);
            else
                Snackbar.Add(result.Error.Message, Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(DomainRow domain)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Remove domain",
            domain.IsVerified
                ? $"Remove {domain.Name}? It stops opening this workspace and stops bringing in people who sign up with it, at once. To use it again you verify it again."
                : $"Remove {domain.Name}? Its TXT record is no longer looked for.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed != true)
            return;
        _busy = true;
        try
        {
            var result = await Domains.RemoveAsync(Actor, domain.Id, CancellationToken.None);
            if (result.IsSuccess)
                Snackbar.Add($"{domain.Name} was removed.", Severity.Success);
            else
                Snackbar.Add(result.Error.Message, Severity.Error);
            _check = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CopyAsync(string text, string what)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", text);
            Snackbar.Add($"{what} is on your clipboard.", Severity.Success);
        }
        catch (JSException)
        {
            // Browsers refuse clipboard access outside a secure context (plain http on another host).
            Snackbar.Add("Copying is blocked by the browser here; select the text and copy it by hand.", Severity.Warning);
        }
    }
}
