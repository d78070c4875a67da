using System.Diagnostics.CodeAnalysis;

namespace TenantPortal.Core.Common;

/// <summary>The outcome of an operation that can fail in an expected way.</summary>
public class Result
{
    /// <summary>Creates a result; <paramref name="error"/> is null on success.</summary>
    protected Result(Error? error) => Error = error;

    /// <summary>The failure, or null on success.</summary>
    public Error? Error { get; }

    /// <summary>True when the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    // A success carries nothing, so one instance serves every caller (validators run it per event of a batch).
    private static readonly Result Succeeded = new(null);

    /// <summary>A success.</summary>
    public static Result Success() => Succeeded;

    /// <summary>A failure.</summary>
    public static Result Failure(Error error) => new(error);

    /// <summary>A success carrying a value.</summary>
    public static Result<T> Success<T>(T value) => Result<T>.Ok(value);

    /// <summary>Lets a method returning <see cref="Result"/> return an <see cref="Common.Error"/> directly.</summary>
    public static implicit operator Result(Error error) => Failure(error);
}

/// <summary>The outcome of an operation that yields a value or fails in an expected way.</summary>
public sealed class Result<T> : Result
{
    private readonly T? _value;

    private Result(T? value, Error? error) : base(error) => _value = value;

    /// <summary>The value; throws when the result is a failure.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}");

    /// <summary>A success.</summary>
    public static Result<T> Ok(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static new Result<T> Failure(Error error) => new(default, error);

    /// <summary>Lets a method return a value directly.</summary>
    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>Lets a method return an <see cref="Common.Error"/> directly.</summary>
    public static implicit operator Result<T>(Error error) => Failure(error);
}
