using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// The hub protocol of Blazor Server's <c>/_blazor</c> hub: SignalR's MessagePack protocol under the name
/// <c>blazorpack</c>, the only protocol that hub accepts (blazor.web.js renames its MessagePack protocol the same way).
/// </summary>
public sealed class BlazorPackProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _messagePack = new();

    /// <inheritdoc />
    public string Name => "blazorpack";

    /// <inheritdoc />
    public int Version => _messagePack.Version;

    /// <inheritdoc />
    public TransferFormat TransferFormat => TransferFormat.Binary;

    /// <inheritdoc />
    public bool IsVersionSupported(int version) => _messagePack.IsVersionSupported(version);

    /// <inheritdoc />
    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _messagePack.TryParseMessage(ref input, binder, out message);

    /// <inheritdoc />
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _messagePack.WriteMessage(message, output);

    /// <inheritdoc />
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _messagePack.GetMessageBytes(message);
}
