using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Sso;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant.Settings;

/// <summary>The single sign-on section of the Settings tab (Admin).</summary>
public partial class SsoSection
{
    private SsoSettings? _settings;
    private string? _issuer;
    private string? _clientId;
    private string? _clientSecret;
    private readonly HashSet<string> _domains = new(StringComparer.Ordinal);
    private TenantRole _defaultRole = TenantRole.Member;
    private bool _requireSso;
    private string? _error;
    private string? _field;
    private SsoDiscoveryReport? _test;
    private string? _testError;
    private bool _busy;

    [Inject] private SsoConnectionService Sso { get; set; } = default!;
    [Inject] private PortalAddresses Addresses { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The user's access to the tenant.</summary>
    [Parameter, EditorRequired] public TenantAccess Access { get; set; } = default!;

    /// <summary>Who acts.</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        var settings = await Sso.GetAsync(Actor, CancellationToken.None);
        if (settings.IsSuccess)
            Show(settings.Value);
        else
            _error = settings.Error.Message;
    }

    private string? FieldError(string field) => _field == field ? _error : null;

    private void ToggleDomain(string domain, bool on)
    {
        if (on)
            _domains.Add(domain);
        else
            _domains.Remove(domain);
    }

    private void Show(SsoSettings settings)
    {
        _settings = settings;
        _issuer = settings.Issuer;
        _clientId = settings.ClientId;
        _clientSecret = null;
        _domains.Clear();
        _domains.UnionWith(settings.AllowedDomains.Intersect(settings.VerifiedDomains, StringComparer.Ordinal));
        _defaultRole = settings.DefaultRole;
        _requireSso = settings.RequireSso;
        (_error, _field) = (null, null);
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var input = new SsoSettingsInput(_issuer, _clientId, _clientSecret, [.. _domains], _defaultRole, _requireSso);
            var saved = await Sso.ConfigureAsync(Actor, input, CancellationToken.None);
            if (!saved.IsSuccess)
            {
                (_error, _field) = (saved.Error.Message, saved.Error.Field);
                return;
            }
            Show(saved.Value);
            Snackbar.Add("Single sign-on saved.", Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DisableAsync()
    {
        _busy = true;
        try
        {
            var result = await Sso.DisableAsync(Actor, CancellationToken.None);
            if (!result.IsSuccess)
            {
                (_error, _field) = (result.Error.Message, null);
                return;
            }
            Show(result.Value);
            Snackbar.Add("Single sign-on is off. Everyone logs in with a password again.", Severity.Success);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task TestAsync()
    {
        _busy = true;
        (_test, _testError) = (null, null);
        try
        {
            var report = await Sso.TestAsync(Actor, _issuer, CancellationToken.None);
            if (report.IsSuccess)
                _test = report.Value;
            else
                _testError = report.Error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
