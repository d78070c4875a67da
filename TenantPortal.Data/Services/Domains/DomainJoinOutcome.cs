namespace TenantPortal.Data.Services.Domains;

/// <summary>What an automatic join through a verified domain did for one workspace.</summary>
/// <param name="Offer">The workspace and role.</param>
/// <param name="Joined">True when the user is a member now.</param>
/// <param name="Message">In plain words, e.g. "You joined Acme as Member." or why not.</param>
public sealed record DomainJoinOutcome(DomainOffer Offer, bool Joined, string Message);
