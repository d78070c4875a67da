using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing.Stripe;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// A local HTTP stand-in for Stripe's API (WireMock.Net on a free port): tests say what it answers, point Stripe.net at
/// it through <c>Stripe:ApiBase</c> and read back the requests Stripe.net actually sent. Answers are Stripe-shaped JSON
/// with just the fields the gateway reads.
/// </summary>
public sealed class StripeStandIn : IDisposable
{
    /// <summary>The secret key the gateway is configured with; a test key in Stripe's format.</summary>
    public const string SecretKey = "sk_test_standin_0123456789abcdef";

    private readonly WireMockServer _server = WireMockServer.Start();

    /// <summary>The stand-in's base address.</summary>
    public string Url => _server.Url!;

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with <paramref name="json"/>.</summary>
    public StripeStandIn On(string method, string path, string json, int status = 200)
    {
        _server.Given(Request.Create().UsingMethod(method).WithPath(path)).RespondWith(Json(json, status));
        return this;
    }

    /// <summary>Answers the first request to <paramref name="path"/> with <paramref name="first"/>, every later one with <paramref name="then"/>.</summary>
    public StripeStandIn OnFirstThen(string method, string path, (int Status, string Json) first, (int Status, string Json) then)
    {
        var scenario = $"{method} {path}";
        _server.Given(Request.Create().UsingMethod(method).WithPath(path)).InScenario(scenario).WillSetStateTo("answered once")
            .RespondWith(Json(first.Json, first.Status));
        _server.Given(Request.Create().UsingMethod(method).WithPath(path)).InScenario(scenario).WhenStateIs("answered once")
            .RespondWith(Json(then.Json, then.Status));
        return this;
    }

    /// <summary>A customer is created with id <paramref name="id"/>.</summary>
    public StripeStandIn OnCustomerCreate(string id = "cus_standin") =>
        On("POST", "/v1/customers", $$"""{"id":"{{id}}","object":"customer","livemode":false}""");

    /// <summary>
    /// The prices list finds <paramref name="priceId"/> for any of the portal's lookup keys, priced as the plan of that
    /// key says (amount, <c>usd</c>, interval); nothing when <paramref name="priceId"/> is null.
    /// </summary>
    public StripeStandIn OnPriceList(string? priceId)
    {
        if (priceId is null)
            return On("GET", "/v1/prices", PriceListJson(""));
        _server.Given(Request.Create().UsingMethod("GET").WithPath("/v1/prices")).RespondWith(Response.Create().WithCallback(request =>
        {
            var lookupKey = QueryHelpers.ParseQuery(request.RawQuery).GetValueOrDefault("lookup_keys[0]").ToString();
            if (!StripeLookupKeys.TryParsePrice(lookupKey, out var tier, out var cycle))
                return Message(PriceListJson(""), 200);
            return Message(PriceListJson(PriceJson(priceId, lookupKey, "usd", PlanCatalog.For(tier).PriceCents(cycle),
                cycle == BillingCycle.Annual ? "year" : "month")), 200);
        }));
        return this;
    }

    /// <summary>The prices list finds exactly this price, whatever lookup key is asked for (e.g. one that does not match its plan).</summary>
    public StripeStandIn OnPriceFound(string priceId, string? lookupKey, string currency, long? unitAmount, string? interval, int intervalCount = 1) =>
        On("GET", "/v1/prices", PriceListJson(PriceJson(priceId, lookupKey, currency, unitAmount, interval, intervalCount)));

    private static string PriceListJson(string data) => $$"""{"object":"list","url":"/v1/prices","has_more":false,"data":[{{data}}]}""";

    private static string PriceJson(string id, string? lookupKey, string currency, long? unitAmount, string? interval, int intervalCount = 1)
    {
        var recurring = interval is null ? "null" : $$"""{"interval":"{{interval}}","interval_count":{{intervalCount}}}""";
        var key = lookupKey is null ? "null" : $"\"{lookupKey}\"";
        var amount = unitAmount is null ? "null" : unitAmount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $$"""{"id":"{{id}}","object":"price","active":true,"lookup_key":{{key}},"currency":"{{currency}}","unit_amount":{{amount}},"type":"{{(interval is null ? "one_time" : "recurring")}}","recurring":{{recurring}}}""";
    }

    /// <summary>A price is created with id <paramref name="priceId"/>.</summary>
    public StripeStandIn OnPriceCreate(string priceId) =>
        On("POST", "/v1/prices", $$"""{"id":"{{priceId}}","object":"price","active":true}""");

    /// <summary>The product <paramref name="productId"/> exists.</summary>
    public StripeStandIn OnProductFound(string productId) =>
        On("GET", $"/v1/products/{productId}", $$"""{"id":"{{productId}}","object":"product","active":true}""");

    /// <summary>The product <paramref name="productId"/> does not exist (404 resource_missing), and creating it succeeds.</summary>
    public StripeStandIn OnProductMissing(string productId) =>
        On("GET", $"/v1/products/{productId}", ErrorJson("invalid_request_error", "resource_missing", $"No such product: '{productId}'"), 404)
            .On("POST", "/v1/products", $$"""{"id":"{{productId}}","object":"product","active":true}""");

    /// <summary>A checkout session is created at <paramref name="url"/>.</summary>
    public StripeStandIn OnCheckoutSession(string url = "https://checkout.stripe.test/c/pay/cs_test_standin") =>
        On("POST", "/v1/checkout/sessions", $$"""{"id":"cs_test_standin","object":"checkout.session","mode":"subscription","url":"{{url}}"}""");

    /// <summary>The subscription <paramref name="id"/> exists with one item, <paramref name="itemId"/>, and updating or cancelling it succeeds.</summary>
    public StripeStandIn OnSubscription(string id, string itemId = "si_standin")
    {
        var json = $$$"""
            {"id":"{{{id}}}","object":"subscription","status":"active",
             "items":{"object":"list","url":"/v1/subscription_items?subscription={{{id}}}","has_more":false,
                      "data":[{"id":"{{{itemId}}}","object":"subscription_item","quantity":1}]}}
            """;
        return On("GET", $"/v1/subscriptions/{id}", json).On("POST", $"/v1/subscriptions/{id}", json).On("DELETE", $"/v1/subscriptions/{id}", json);
    }

    /// <summary>A Customer Portal session is created at <paramref name="url"/>.</summary>
    public StripeStandIn OnPortalSession(string url = "https://billing.stripe.test/p/session/standin") =>
        On("POST", "/v1/billing_portal/sessions", $$"""{"id":"bps_standin","object":"billing_portal.session","url":"{{url}}"}""");

    /// <summary>An invoice <paramref name="id"/> is created as a draft, takes items, and finalizes to <paramref name="finalStatus"/>.</summary>
    public StripeStandIn OnInvoice(string id = "in_standin", string finalStatus = "open", string hostedUrl = "https://invoice.stripe.test/i/standin") =>
        On("GET", "/v1/invoices", """{"object":"list","data":[],"has_more":false,"url":"/v1/invoices"}""")
            .On("POST", "/v1/invoices", $$"""{"id":"{{id}}","object":"invoice","status":"draft"}""")
            .On("POST", "/v1/invoiceitems", """{"id":"ii_standin","object":"invoiceitem"}""")
            .On("POST", $"/v1/invoices/{id}/finalize",
                $$"""{"id":"{{id}}","object":"invoice","status":"{{finalStatus}}","hosted_invoice_url":"{{hostedUrl}}"}""");

    /// <summary>
    /// Credit notes: the list (by invoice) finds <paramref name="existing"/> (a credit note made earlier, by its local
    /// number in the metadata) or nothing, and creating one answers <paramref name="id"/>.
    /// </summary>
    public StripeStandIn OnCreditNote(string id = "cn_standin", string? existing = null)
    {
        var data = existing is null ? "" : $$$"""{"id":"cn_existing","object":"credit_note","metadata":{"{{{StripeMetadata.CreditNoteNumber}}}":"{{{existing}}}"}}""";
        return On("GET", "/v1/credit_notes", $$"""{"object":"list","data":[{{data}}],"has_more":false,"url":"/v1/credit_notes"}""")
            .On("POST", "/v1/credit_notes", $$"""{"id":"{{id}}","object":"credit_note","status":"issued"}""");
    }

    /// <summary>A Stripe error body.</summary>
    public static string ErrorJson(string type, string code, string message) =>
        $$$"""{"error":{"type":"{{{type}}}","code":"{{{code}}}","message":"{{{message}}}"}}""";

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<Call> Calls => _server.LogEntries
        .Select(e => e.RequestMessage)
        .OrderBy(r => r.DateTime)
        .Select(Call.From)
        .ToList();

    /// <summary>The requests received for <paramref name="method"/> <paramref name="path"/>, oldest first.</summary>
    public IReadOnlyList<Call> CallsTo(string method, string path) =>
        Calls.Where(c => c.Method == method && c.Path == path).ToList();

    /// <summary>The options a gateway pointed at this stand-in gets.</summary>
    public StripeOptions Options => new() { SecretKey = SecretKey, ApiBase = Url };

    /// <summary>A gateway pointed at this stand-in.</summary>
    public StripePaymentGateway CreateGateway(TimeProvider? time = null, ILogger<StripePaymentGateway>? logger = null) =>
        CreateGateway(Url, time, logger);

    /// <summary>A gateway pointed at <paramref name="apiBase"/> (e.g. <see cref="ClosedPortUrl"/>).</summary>
    public static StripePaymentGateway CreateGateway(string apiBase, TimeProvider? time = null, ILogger<StripePaymentGateway>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(new StripeOptions { SecretKey = SecretKey, ApiBase = apiBase }),
            time ?? TimeProvider.System, logger ?? NullLogger<StripePaymentGateway>.Instance);

    /// <summary>An address on which nothing listens (a port taken from the OS and released).</summary>
    public static string ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <inheritdoc />
    public void Dispose() => _server.Stop();

    private static IResponseBuilder Json(string json, int status) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Request-Id", "req_standin").WithBody(json);

    private static ResponseMessage Message(string json, int status)
    {
        var message = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = json, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
        message.AddHeader("Content-Type", "application/json");
        message.AddHeader("Request-Id", "req_standin");
        return message;
    }

    /// <summary>One request as Stripe.net sent it: form fields and query decoded, the headers the tests care about.</summary>
    public sealed record Call(
        string Method,
        string Path,
        IReadOnlyDictionary<string, string> Form,
        IReadOnlyDictionary<string, string> Query,
        string? IdempotencyKey,
        string? Authorization,
        string? StripeVersion)
    {
        /// <summary>Reads a WireMock request.</summary>
        public static Call From(IRequestMessage request) => new(
            request.Method,
            request.Path,
            Decode(request.Body),
            Decode(request.RawQuery),
            Header(request, "Idempotency-Key"),
            Header(request, "Authorization"),
            Header(request, "Stripe-Version"));

        private static Dictionary<string, string> Decode(string? encoded) =>
            QueryHelpers.ParseQuery(encoded).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

        private static string? Header(IRequestMessage request, string name) =>
            request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
    }
}
