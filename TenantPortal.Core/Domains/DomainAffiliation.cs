namespace TenantPortal.Core.Domains;

/// <summary>What a verified domain does for people who sign up with an email address on it.</summary>
public enum DomainAffiliation
{
    /// <summary>Nothing: they join only by invitation.</summary>
    Off = 0,

    /// <summary>After sign-up they are offered to join the workspace ("Join Acme").</summary>
    Suggest = 1,

    /// <summary>They join at once with the domain's default role, while seats last.</summary>
    Auto = 2,
}
