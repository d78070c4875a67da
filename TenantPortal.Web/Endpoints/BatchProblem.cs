namespace TenantPortal.Web.Endpoints;

/// <summary>Why a request body was refused: the HTTP status, the field at fault (e.g. <c>events[3].quantity</c>) and a message.</summary>
public sealed record BatchProblem(int Status, string Field, string Message, int? EventIndex = null, string? EventId = null);
