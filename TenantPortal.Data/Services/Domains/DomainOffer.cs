using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Domains;

/// <summary>A workspace whose verified domain is the user's email domain, and how it takes people in.</summary>
/// <param name="TenantId">The workspace.</param>
/// <param name="TenantName">Its name ("Join Acme").</param>
/// <param name="Slug">Its address.</param>
/// <param name="Domain">The verified domain that matched.</param>
/// <param name="Affiliation">Suggest (offered) or auto (joined at once).</param>
/// <param name="Role">The role the user gets: Member for suggest, the domain's role for auto.</param>
public sealed record DomainOffer(Guid TenantId, string TenantName, string Slug, string Domain, DomainAffiliation Affiliation, TenantRole Role);
