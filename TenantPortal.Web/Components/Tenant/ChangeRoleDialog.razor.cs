using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Members;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>The confirmation of a role change on the Users tab; the change itself is made (and checked) by the member service.</summary>
public partial class ChangeRoleDialog
{
    private string? _typed;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The member whose role changes, as listed.</summary>
    [Parameter, EditorRequired] public MemberRow Member { get; set; } = default!;

    /// <summary>The role chosen for them.</summary>
    [Parameter, EditorRequired] public TenantRole NewRole { get; set; }

    /// <summary>The workspace's name.</summary>
    [Parameter, EditorRequired] public string TenantName { get; set; } = "";

    private string Who => string.IsNullOrWhiteSpace(Member.DisplayName) ? Member.Email : $"{Member.DisplayName} ({Member.Email})";

    // Making an owner needs their email typed (any case); any other change needs only the click.
    private bool CanConfirm => NewRole != TenantRole.Owner
        || string.Equals(_typed?.Trim(), Member.Email, StringComparison.OrdinalIgnoreCase);

    private void Confirm()
    {
        if (CanConfirm)
            Dialog.Close(DialogResult.Ok(NewRole));
    }

    private void Cancel() => Dialog.Cancel();
}
