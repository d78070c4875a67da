namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// A server a scenario needs (PostgreSQL, Redis) does not answer: the message names it and says how to start one, and
/// the harness prints the message alone (no stack trace) and fails the scenario.
/// </summary>
public sealed class LoadServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
