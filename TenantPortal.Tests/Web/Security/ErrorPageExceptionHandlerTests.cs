using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Security;

/// <summary>A failed page POST is re-executed on /Error as a GET without the first run's antiforgery verdict.</summary>
public class ErrorPageExceptionHandlerTests
{
    [Fact]
    public async Task TryHandle_LetsTheErrorPageRun_AsAGetWithoutTheAntiforgeryVerdict_WhenThePageWasPosted()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Features.Set<IAntiforgeryValidationFeature>(new FailedValidation());

        var handled = await new ErrorPageExceptionHandler().TryHandleAsync(context, new InvalidOperationException("boom"), CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(HttpMethods.Get, context.Request.Method);
        Assert.Null(context.Features.Get<IAntiforgeryValidationFeature>());
    }

    [Fact]
    public async Task TryHandle_LeavesAGetAsItIs()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Head;

        var handled = await new ErrorPageExceptionHandler().TryHandleAsync(context, new InvalidOperationException("boom"), CancellationToken.None);

        Assert.False(handled);
        Assert.Equal(HttpMethods.Head, context.Request.Method);
    }

    private sealed class FailedValidation : IAntiforgeryValidationFeature
    {
        public bool IsValid => false;

        public Exception? Error => new AntiforgeryValidationException("no token");
    }
}
