using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Services.Webhooks;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Webhooks;

/// <summary>
/// Webhooks end to end on a real database and a real receiver on loopback: an audited change makes the event, the
/// dispatcher makes its deliveries, the sender signs and POSTs them; retries, the SSRF guard, the 3-day disable, rotation.
/// </summary>
public class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly TenancyTestBed _bed = new();
    private WebhookReceiver _receiver = default!;
    private WebhookTestServices _webhooks = default!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _webhooks = new WebhookTestServices(_bed);
        await _webhooks.EntitleAsync(_bed.AlphaId);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _webhooks.Http.Dispose();
        await _bed.DisposeAsync();
    }

    private TenancyTestBed.Scope Alpha => _bed.In(_bed.AlphaId);

    private async Task<WebhookEndpointSecret> RegisterAsync(params string[] events)
    {
        var created = await _webhooks.Endpoints(Alpha).CreateAsync(_bed.ActorOf("admin"),
            new WebhookEndpointInput(_receiver.Url, "test receiver", events.Length == 0 ? null : events), CancellationToken.None);
        Assert.True(created.IsSuccess, created.IsSuccess ? null : created.Error.Message);
        _receiver.Secrets.Add(created.Value.Secret);
        return created.Value;
    }

    private async Task RemoveTargetAsync()
    {
        var removed = await Alpha.Members.RemoveAsync(_bed.ActorOf("owner"), _bed.Users["target"].Id, CancellationToken.None);
        Assert.True(removed.IsSuccess);
    }

    private async Task<List<WebhookDelivery>> DeliveriesAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.WebhookDeliveries.AsNoTracking().ToListAsync();
    }

    private async Task<List<WebhookAttempt>> AttemptsAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return (await db.WebhookAttempts.AsNoTracking().ToListAsync()).OrderBy(a => a.Number).ToList();
    }

    [Fact]
    public async Task MemberRemoved_IsDeliveredSignedWithItsEventId_WhenTheEndpointSubscribes()
    {
        await RegisterAsync(WebhookEventTypes.MemberRemoved);

        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();

        var request = Assert.Single(_receiver.Requests);
        Assert.True(request.SignatureValid);
        Assert.Equal(WebhookEventTypes.MemberRemoved, request.EventType);
        Assert.StartsWith("evt_", request.EventId);
        Assert.Equal(WebhookHttp.UserAgent, request.UserAgent);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(request.EventId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal("member.removed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(TenancyTestBed.AlphaSlug, body.RootElement.GetProperty("tenant").GetProperty("slug").GetString());
        Assert.Equal("target@alpha.test", body.RootElement.GetProperty("data").GetProperty("email").GetString());
        Assert.Equal("Viewer", body.RootElement.GetProperty("data").GetProperty("role").GetString());
        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 1, 200), (delivery.Status, delivery.Attempts, delivery.LastResponseCode));
    }

    [Fact]
    public async Task AuditEntry_GoesOnlyToEndpointsThatOptIn_AndOtherEndpointsGetTheirOwnType()
    {
        var standard = await RegisterAsync();
        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        var auditing = await RegisterAsync(WebhookEventTypes.AuditEntry);

        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();

        var deliveries = await DeliveriesAsync();
        Assert.Equal([WebhookEventTypes.MemberRemoved], deliveries.Where(d => d.EndpointId == standard.Endpoint.Id).Select(d => d.EventType));
        Assert.All(deliveries.Where(d => d.EndpointId == auditing.Endpoint.Id), d => Assert.Equal(WebhookEventTypes.AuditEntry, d.EventType));
        // The removal, and the second endpoint's own registration (the first was registered before anyone listened to audit.entry).
        var actions = _receiver.Requests.Where(r => r.EventType == WebhookEventTypes.AuditEntry)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("action").GetString()).Order().ToList();
        Assert.Equal([AuditActions.MemberRemoved, AuditActions.WebhookEndpointCreated], actions);
        Assert.All(_receiver.Requests, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task ReceiverAnswering500_IsRetriedWithBackoff_UntilItAccepts()
    {
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        _receiver.Answer = n => (n <= 2 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, TimeSpan.Zero);

        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();
        var first = Assert.Single(await DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Retrying, 1, 500), (first.Status, first.Attempts, first.LastResponseCode));
        var wait = first.NextAttemptAt!.Value - _bed.Time.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromSeconds(54), TimeSpan.FromSeconds(66));

        await _webhooks.SendDueAsync();
        Assert.Single(_receiver.Requests);
        _bed.Time.Advance(TimeSpan.FromMinutes(1.2));
        await _webhooks.SendDueAsync();
        var second = Assert.Single(await DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Retrying, 2), (second.Status, second.Attempts));
        Assert.InRange(second.NextAttemptAt!.Value - _bed.Time.GetUtcNow(), TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5.5));
        _bed.Time.Advance(TimeSpan.FromMinutes(6));
        await _webhooks.SendDueAsync();

        var done = Assert.Single(await DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 3, 200), (done.Status, done.Attempts, done.LastResponseCode));
        Assert.Equal([500, 500, 200], (await AttemptsAsync()).Select(a => a.StatusCode ?? 0));
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests.Select(r => r.EventId).Distinct());
        Assert.Equal(1, _receiver.ProcessedEvents);
    }

    [Fact]
    public async Task ReceiverTimingOut_IsAFailedAttemptWithNoResponse_ThenRetried()
    {
        _webhooks = new WebhookTestServices(_bed, timeoutSeconds: 1);
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        _receiver.Answer = n => (HttpStatusCode.OK, n == 1 ? TimeSpan.FromSeconds(4) : TimeSpan.Zero);

        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();
        var attempt = Assert.Single(await AttemptsAsync());
        Assert.Null(attempt.StatusCode);
        Assert.Contains("timeout", attempt.Error);
        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        await _webhooks.SendDueAsync();

        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 2), (delivery.Status, delivery.Attempts));
        Assert.Equal(1, _receiver.ProcessedEvents);
    }

    [Fact]
    public async Task DispatchAndSend_RunTwiceConcurrently_MakeOneDeliveryAndOnePost()
    {
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        await RemoveTargetAsync();

        await Task.WhenAll(_webhooks.Dispatcher().DispatchAsync(CancellationToken.None), _webhooks.Dispatcher().DispatchAsync(CancellationToken.None));
        var delivery = Assert.Single(await DeliveriesAsync());
        var sends = await Task.WhenAll(_webhooks.Sender().SendAsync(delivery.Id, CancellationToken.None), _webhooks.Sender().SendAsync(delivery.Id, CancellationToken.None));
        await _webhooks.DispatchAndSendDueAsync();

        Assert.Single(sends, s => s is not null);
        Assert.Single(_receiver.Requests);
        Assert.Equal(0, _receiver.Duplicates);
    }

    [Fact]
    public async Task HostResolvingToLoopback_IsRefusedAtSendTime_WhenPrivateAddressesAreNotAllowed()
    {
        var port = new Uri(_receiver.Url).Port;
        var created = await _webhooks.Endpoints(Alpha).CreateAsync(_bed.ActorOf("admin"),
            new WebhookEndpointInput($"http://rebinding.example.test:{port}/hooks", null, [WebhookEventTypes.MemberRemoved]), CancellationToken.None);
        Assert.True(created.IsSuccess);
        var guarded = new WebhookTestServices(_bed, allowPrivateAddresses: false);
        guarded.Resolver.Names["rebinding.example.test"] = [IPAddress.Parse("203.0.113.10"), IPAddress.Loopback];

        await RemoveTargetAsync();
        await guarded.DispatchAndSendDueAsync();

        Assert.Empty(_receiver.Requests);
        var attempt = Assert.Single(await AttemptsAsync());
        Assert.Null(attempt.StatusCode);
        Assert.Contains("Refused to connect", attempt.Error);
        Assert.Contains("127.0.0.1 is a loopback address", attempt.Error);
        Assert.Equal(WebhookDeliveryStatus.Retrying, Assert.Single(await DeliveriesAsync()).Status);
        guarded.Http.Dispose();
    }

    [Fact]
    public async Task Localhost_IsRefusedAtSendTime_ThroughTheSystemResolver()
    {
        var port = new Uri(_receiver.Url).Port;
        await _webhooks.Endpoints(Alpha).CreateAsync(_bed.ActorOf("admin"),
            new WebhookEndpointInput($"http://localhost:{port}/hooks", null, [WebhookEventTypes.MemberRemoved]), CancellationToken.None);
        var guarded = new WebhookTestServices(_bed, allowPrivateAddresses: false);

        await RemoveTargetAsync();
        await guarded.DispatchAndSendDueAsync();

        Assert.Empty(_receiver.Requests);
        Assert.Contains("loopback", Assert.Single(await AttemptsAsync()).Error);
        guarded.Http.Dispose();
    }

    [Fact]
    public async Task EndpointFailingForThreeDays_IsDisabled_TheAdminsAreTold_AndAnAdminEnablesItAgain()
    {
        var endpoint = await RegisterAsync(WebhookEventTypes.MemberRemoved);
        _receiver.Answer = _ => (HttpStatusCode.ServiceUnavailable, TimeSpan.Zero);
        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();

        for (var i = 0; i < 50 && (await DeliveriesAsync()).Single().Status == WebhookDeliveryStatus.Retrying; i++)
        {
            var next = (await DeliveriesAsync()).Single().NextAttemptAt!.Value;
            _bed.Time.Advance(next - _bed.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
            await _webhooks.SendDueAsync();
        }

        var delivery = Assert.Single(await DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        var attempts = await AttemptsAsync();
        Assert.InRange(attempts[^1].At - attempts[0].At, WebhookRetrySchedule.GiveUpAfter - TimeSpan.FromHours(1), WebhookRetrySchedule.GiveUpAfter + TimeSpan.FromMinutes(1));
        var shown = (await _webhooks.Endpoints(Alpha).GetAsync(_bed.ActorOf("admin"), endpoint.Endpoint.Id, CancellationToken.None)).Value;
        Assert.False(shown.Enabled);
        Assert.True(shown.DisabledForFailures);
        await using (var db = _bed.Database.CrossTenant())
        {
            var told = await db.Notifications.Where(n => n.TenantId == _bed.AlphaId && n.Title == "Webhook endpoint disabled").Select(n => n.UserId).ToListAsync();
            Assert.Equal(new[] { "owner", "owner2", "admin" }.Select(n => _bed.Users[n].Id).Order(), told.Order());
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.WebhookEndpointDisabled && a.TenantId == _bed.AlphaId));
        }
        Assert.Contains(_bed.Mail.Sent, m => m.To == "admin@alpha.test" && m.Subject == "Webhook endpoint disabled");

        var enabled = await _webhooks.Endpoints(Alpha).UpdateAsync(_bed.ActorOf("admin"), endpoint.Endpoint.Id, new WebhookEndpointInput(null, null, null, true), CancellationToken.None);
        Assert.True(enabled.Value.Enabled);
        Assert.Null(enabled.Value.FailingSince);
    }

    [Fact]
    public async Task RotatedSecret_SignsAlongsideTheOldOne_ForTheOverlapOnly()
    {
        var endpoint = await RegisterAsync(WebhookEventTypes.AuditEntry);
        var old = endpoint.Secret;
        var rotated = await _webhooks.Endpoints(Alpha).RotateSecretAsync(_bed.ActorOf("admin"), endpoint.Endpoint.Id, CancellationToken.None);
        Assert.NotEqual(old, rotated.Value.Secret);
        _receiver.Secrets.Clear();
        _receiver.Secrets.Add(old);

        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();
        var during = _receiver.Requests.Last();
        Assert.True(during.SignatureValid);
        Assert.Equal(2, during.Signature.Split(',').Count(p => p.StartsWith("v1=")));
        Assert.True(WebhookSignature.Verify(during.Signature, during.Body, rotated.Value.Secret, DateTimeOffset.UtcNow, TimeSpan.FromDays(3650)));

        _bed.Time.Advance(WebhookEndpoint.RotationOverlap + TimeSpan.FromMinutes(1));
        var left = await Alpha.Members.LeaveAsync(_bed.ActorOf("viewer"), CancellationToken.None);
        Assert.True(left.IsSuccess);
        await _webhooks.DispatchAndSendDueAsync();
        var after = _receiver.Requests.Last();
        Assert.Single(after.Signature.Split(","), p => p.StartsWith("v1="));
        Assert.False(after.SignatureValid);
        Assert.True(WebhookSignature.Verify(after.Signature, after.Body, rotated.Value.Secret, DateTimeOffset.UtcNow, TimeSpan.FromDays(3650)));
    }

    [Fact]
    public async Task Resend_PostsTheSameEventAgain_AndTheReceiverDedupesIt()
    {
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();
        var delivery = Assert.Single(await DeliveriesAsync());

        var resent = await _webhooks.Deliveries(Alpha).ResendAsync(_bed.ActorOf("admin"), delivery.Id, CancellationToken.None);
        await _webhooks.SendDueAsync();

        Assert.True(resent.IsSuccess);
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests.Select(r => r.EventId).Distinct());
        Assert.Equal(1, _receiver.Duplicates);
        var detail = await _webhooks.Deliveries(Alpha).GetAsync(_bed.ActorOf("admin"), delivery.Id, CancellationToken.None);
        Assert.Equal([1, 2], detail.Value.Attempts.Select(a => a.Number));
    }

    [Fact]
    public async Task EventsNoEndpointWants_AreDroppedByTheDispatcher()
    {
        await RegisterAsync(WebhookEventTypes.InvoicePaid);
        await RemoveTargetAsync();

        var summary = await _webhooks.Dispatcher().DispatchAsync(CancellationToken.None);

        Assert.Equal(0, summary.Deliveries);
        Assert.True(summary.Dropped >= 2);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.WebhookEvents.AnyAsync(e => e.Type == WebhookEventTypes.MemberRemoved));
    }

    [Fact]
    public async Task FailedSave_LeavesNoEvent_AndASavedChangeAlwaysHasOne()
    {
        // A removal refused by its rule (the last owner can't go) saves nothing: no audit entry, so no event.
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        var refused = await _bed.In(_bed.BetaId).Members.RemoveAsync(_bed.ActorOf("beta-owner"), _bed.Users["beta-owner"].Id, CancellationToken.None);
        Assert.False(refused.IsSuccess);
        await RemoveTargetAsync();

        await using var db = _bed.Database.CrossTenant();
        var events = await db.WebhookEvents.Where(e => e.Type == WebhookEventTypes.MemberRemoved).ToListAsync();
        Assert.Equal(_bed.AlphaId, Assert.Single(events).TenantId);
        Assert.Equal(await db.AuditEntries.CountAsync(a => a.TenantId != null), await db.WebhookEvents.CountAsync(e => e.Type == WebhookEventTypes.AuditEntry));
    }

    [Fact]
    public async Task TenantDeletion_DeletesItsEndpointsEventsDeliveriesAndAttempts()
    {
        await RegisterAsync(WebhookEventTypes.MemberRemoved);
        await RemoveTargetAsync();
        await _webhooks.DispatchAndSendDueAsync();

        var deleted = await Alpha.Tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, CancellationToken.None);
        Assert.True(deleted.IsSuccess, deleted.IsSuccess ? null : deleted.Error.Message);
        await _bed.In(null).Deletion.ContinuePendingAsync(CancellationToken.None);

        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.WebhookEndpoints.AnyAsync(e => e.TenantId == _bed.AlphaId));
        Assert.False(await db.WebhookEvents.AnyAsync(e => e.TenantId == _bed.AlphaId));
        Assert.False(await db.WebhookDeliveries.AnyAsync(d => d.TenantId == _bed.AlphaId));
        Assert.False(await db.WebhookAttempts.AnyAsync(a => a.TenantId == _bed.AlphaId));
    }
}
