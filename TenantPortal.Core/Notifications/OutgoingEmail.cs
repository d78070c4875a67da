namespace TenantPortal.Core.Notifications;

/// <summary>An email to send.</summary>
/// <param name="To">Recipient address.</param>
/// <param name="Subject">Subject line.</param>
/// <param name="TextBody">Plain-text body.</param>
/// <param name="HtmlBody">Optional HTML body.</param>
public sealed record OutgoingEmail(string To, string Subject, string TextBody, string? HtmlBody = null);
