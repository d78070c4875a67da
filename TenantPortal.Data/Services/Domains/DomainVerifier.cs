using System.Net;
using System.Net.Sockets;
using DnsClient;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Domains;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// Asks DNS for a domain's TXT record <c>_tenantportal.{domain}</c> with DnsClient: never from a cache (every check
/// asks again), a short timeout and a few retries, at <c>Tenancy:DnsServer</c> or the system's resolvers. A DNS error
/// or timeout is "not found this time" with a message saying so, never an exception.
/// </summary>
public sealed class DomainVerifier(IOptions<DomainVerificationOptions> options, ILogger<DomainVerifier> logger)
{
    /// <summary>Looks for <see cref="TenantDomain.RecordValue"/> among the TXT records at <see cref="TenantDomain.RecordName"/>.</summary>
    public async Task<DomainCheck> CheckAsync(TenantDomain domain, CancellationToken cancellationToken)
    {
        var name = domain.RecordName;
        try
        {
            var client = await CreateClientAsync(cancellationToken);
            var response = await client.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
                return new DomainCheck(DomainCheckOutcome.NotFound, $"No TXT record was found at {name} (the name does not exist in DNS yet).");
            if (response.HasError)
                return Unreachable(name, $"the DNS server answered {response.ErrorMessage}");
            // A long value may come as several strings of one record: they are one value (as in SPF, RFC 7208 3.3).
            var values = response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
            if (values.Count == 0)
                return new DomainCheck(DomainCheckOutcome.NotFound, $"No TXT record was found at {name}.");
            if (values.Any(v => string.Equals(v.Trim(), domain.RecordValue, StringComparison.Ordinal)))
                return new DomainCheck(DomainCheckOutcome.Found, $"The TXT record at {name} holds the expected value.");
            return new DomainCheck(DomainCheckOutcome.WrongValue,
                $"{name} has {(values.Count == 1 ? "a TXT record" : $"{values.Count} TXT records")}, but none holds {domain.RecordValue}. Check the value, then try again.");
        }
        catch (DnsResponseException ex)
        {
            logger.LogInformation(ex, "TXT lookup of {Name} failed: {Code}", name, ex.Code);
            return Unreachable(name, ex.Code == DnsResponseCode.ConnectionTimeout ? "the DNS server did not answer in time" : "the DNS lookup failed");
        }
        catch (SocketException ex)
        {
            logger.LogInformation(ex, "TXT lookup of {Name} failed", name);
            return Unreachable(name, "the DNS server could not be reached");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreachable(name, "the DNS server did not answer in time");
        }
    }

    private static DomainCheck Unreachable(string name, string why) =>
        new(DomainCheckOutcome.Unreachable, $"DNS could not be asked about {name} this time: {why}. Nothing changed; try again in a few minutes.");

    private async Task<LookupClient> CreateClientAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        DomainVerificationOptions.TryParseServer(settings.DnsServer, out var server);
        LookupClientOptions clientOptions;
        if (server is { } s)
        {
            var addresses = IPAddress.TryParse(s.Host, out var address) ? [address] : await Dns.GetHostAddressesAsync(s.Host, cancellationToken);
            clientOptions = new LookupClientOptions(addresses.Select(a => new IPEndPoint(a, s.Port)).ToArray());
        }
        else
            clientOptions = new LookupClientOptions();
        clientOptions.UseCache = false;
        clientOptions.Timeout = TimeSpan.FromMilliseconds(settings.DnsTimeoutMilliseconds);
        clientOptions.Retries = settings.DnsRetries;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = false;
        return new LookupClient(clientOptions);
    }
}
