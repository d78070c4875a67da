using Hangfire;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using TenantPortal.Web.Components;
using TenantPortal.Web.Endpoints;
using TenantPortal.Web.Observability;
using TenantPortal.Web.Health;
using TenantPortal.Web.Jobs;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Startup;

/// <summary>The HTTP pipeline and the endpoints.</summary>
public static class PipelineExtensions
{
    /// <summary>Configures middleware and maps every endpoint.</summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        // First: everything after it sees the client's scheme and address, not the load balancer's.
        app.UseTrustedProxies();
        // Security headers, then the host rules (a malformed or foreign Host stops here) and the HTTPS requirement.
        app.UseHttpHardening();
        if (app.Environment.IsDevelopment())
            app.UseMigrationsEndPoint();
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        // An empty error status of a page GET shows the not-found page (the request runs again there). A POST is not run
        // again (routed as a POST to a page that takes none, or reading a form that failed its antiforgery check, it
        // would fail itself): it keeps its status with a short text. /api answers with problem bodies.
        // The re-execution stays on the app's own pipeline: in a branch (UseWhen) it runs without the app's routing, and
        // an anonymous download's 401 came back as the not-found page's 404.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(c => !HttpMethods.IsGet(c.Request.Method) && !HttpMethods.IsHead(c.Request.Method), b => b
            .Use((context, next) =>
            {
                context.Features.Get<IStatusCodePagesFeature>()!.Enabled = false;
                return next(context);
            })
            .UseStatusCodePages());
        app.UseMiddleware<ApiStatusProblemMiddleware>();
        app.UseMiddleware<TenantHostMiddleware>();
        // The tenant a single sign-on path names, before its handler runs.
        Security.Sso.TenantSsoExtensions.UseTenantSso(app);
        app.UseAuthentication();
        // Authorization authenticates API keys (the policy's scheme), so the rate limiter that follows knows the tenant.
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });

        // Operators only: the policy answers anonymous users with the login page and others with 403.
        // Authorization = [] drops Hangfire's default local-requests-only filter; the dashboard's own filter checks the
        // same policy again, so the dashboard stays operator-only however it is mapped.
        app.MapHangfireDashboardWithAuthorizationPolicy(PortalPolicies.Operator, "/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new OperatorDashboardAuthorizationFilter()],
            AppPath = "/ops",
            DashboardTitle = "TenantPortal jobs",
        });
        app.UseRecurringJobs();

        app.MapPortalApi();
        Endpoints.Scim.ScimEndpoints.MapScimEndpoints(app);
        app.MapPortalOpenApi();
        app.MapStripeWebhook();
        app.MapPortalMetrics();
        app.MapInvoiceExportEndpoints();
        app.MapAuditExportEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        Security.Sso.TenantSsoEndpoints.MapTenantSso(app);
        return app;
    }
}
