namespace TenantPortal.Web.Endpoints.Management;

/// <summary>An example request body for the OpenAPI document, as endpoint metadata.</summary>
/// <param name="Json">The example, as JSON text.</param>
public sealed record ApiExample(string Json);
