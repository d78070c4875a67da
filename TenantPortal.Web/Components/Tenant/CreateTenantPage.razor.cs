using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>
/// Creates a workspace: name, a slug suggested from the name (until the user edits it) and checked as they type,
/// and a plan. The creator becomes the owner and lands in the new workspace.
/// </summary>
public partial class CreateTenantPage : IDisposable
{
    private const string NameField = "name";
    private const string SlugField = "slug";

    // Long enough not to query on every keystroke, short enough to feel live.
    private static readonly TimeSpan SlugCheckDelay = TimeSpan.FromMilliseconds(350);

    private readonly Dictionary<string, string> _errors = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource? _slugCheck;
    private string? _name;
    private string? _slug;
    private string? _checkedSlug;
    private bool _slugEdited;
    private SlugState _slugState = SlugState.None;
    private SubscriptionTier _tier = SubscriptionTier.Free;
    private string? _error;
    private bool _busy;

    /// <summary>Where the live slug check stands.</summary>
    private enum SlugState { None, Checking, Available, Refused }

    [Inject] private TenantService Tenants { get; set; } = default!;
    [Inject] private CurrentUser CurrentUser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IOptions<BillingOptions> Billing { get; set; } = default!;

    private int TrialDays => Billing.Value.TrialDays;

    private string SlugHelp => $"Lower-case letters, digits and hyphens, {TenantSlug.MinLength} to {TenantSlug.MaxLength} characters. It can't be changed later.";

    private static string LimitText(Plan plan, UsageMetric metric)
    {
        var limit = plan.Limit(metric);
        var amount = limit == PlanCatalog.Unlimited ? "Unlimited" : limit.ToString("N0");
        var period = UsageMetrics.Kind(metric) == MetricKind.Counter ? " / month" : "";
        return $"{UsageMetrics.DisplayName(metric)}: {amount}{(limit == PlanCatalog.Unlimited ? "" : " " + UsageMetrics.Unit(metric))}{period}";
    }

    private void OnNameChanged(string? name)
    {
        _name = name;
        _errors.Remove(NameField);
        // The slug follows the name until the user types one of their own (or clears theirs).
        if (!_slugEdited)
            SetSlug(string.IsNullOrWhiteSpace(name) ? null : TenantSlug.Suggest(name));
    }

    private void OnSlugChanged(string? slug)
    {
        _slugEdited = !string.IsNullOrEmpty(slug);
        if (!_slugEdited)
        {
            OnNameChanged(_name);
            return;
        }
        SetSlug(slug);
    }

    private void SetSlug(string? slug)
    {
        _slug = slug?.Trim();
        _errors.Remove(SlugField);
        _slugCheck?.Cancel();
        _slugCheck?.Dispose();
        _slugCheck = null;
        if (string.IsNullOrEmpty(_slug))
        {
            _slugState = SlugState.None;
            return;
        }
        _slugState = SlugState.Checking;
        _slugCheck = new CancellationTokenSource();
        _ = CheckSlugLaterAsync(_slug, _slugCheck.Token);
    }

    private async Task CheckSlugLaterAsync(string slug, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(SlugCheckDelay, cancellationToken);
            var result = await Tenants.CheckSlugAsync(slug, cancellationToken);
            if (cancellationToken.IsCancellationRequested || slug != _slug)
                return;
            _checkedSlug = slug;
            if (result.IsSuccess)
                _slugState = SlugState.Available;
            else
            {
                _slugState = SlugState.Refused;
                _errors[SlugField] = result.Error.Message;
            }
            await InvokeAsync(StateHasChanged);
        }
        catch (OperationCanceledException)
        {
            // A newer value replaced this one; its own check reports.
        }
    }

    private async Task CreateAsync()
    {
        if (_busy)
            return;
        _error = null;
        _errors.Clear();
        if (string.IsNullOrWhiteSpace(_name))
            _errors[NameField] = "The name is required.";
        var slugCheck = TenantSlug.Validate(_slug);
        if (!slugCheck.IsSuccess)
            _errors[SlugField] = slugCheck.Error.Message;
        if (_errors.Count > 0)
            return;

        var actor = await CurrentUser.GetActorAsync();
        if (actor is null)
        {
            _error = "Your session has ended. Log in again to create a workspace.";
            return;
        }
        _busy = true;
        try
        {
            var result = await Tenants.CreateAsync(actor, new CreateTenantRequest(_name!, _slug!, _tier), CancellationToken.None);
            if (result.IsSuccess)
            {
                Navigation.NavigateTo(TenantTabs.Path(result.Value.Slug, TenantTab.Overview));
                return;
            }
            if (result.Error.Field is { } field && field is NameField or SlugField)
                _errors[field] = result.Error.Message;
            else
                _error = result.Error.Message;
            if (result.Error.Field == SlugField)
                _slugState = SlugState.Refused;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _slugCheck?.Cancel();
        _slugCheck?.Dispose();
    }
}
