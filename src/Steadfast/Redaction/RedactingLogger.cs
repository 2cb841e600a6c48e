using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Steadfast;

/// <summary>
/// The logger every Steadfast type writes through: a message, its structured values or an exception that carries a
/// secret (an exception message with a token, a blacklist reason with a password) reaches the user's logger redacted.
/// A record with nothing secret passes through untouched, with its original exception object.
/// </summary>
/// <remarks>Costs nothing while the level is off: the source-generated <c>Log</c> methods ask <see cref="IsEnabled"/> first.</remarks>
internal class RedactingLogger(ILogger inner) : ILogger
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        var redacted = SecretRedactor.RedactUnbounded(message);
        var loggedException = RedactedException.For(exception);
        if (ReferenceEquals(redacted, message) && ReferenceEquals(loggedException, exception))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        inner.Log(logLevel, eventId, new RedactedLogState(state as IReadOnlyList<KeyValuePair<string, object?>>, redacted), loggedException, RedactedLogState.Format);
    }
}

/// <summary>A <see cref="RedactingLogger"/> with the category of <typeparamref name="T"/>, for types whose logger field is <see cref="ILogger{T}"/>.</summary>
/// <typeparam name="T">The category type.</typeparam>
internal sealed class RedactingLogger<T>(ILoggerFactory factory) : RedactingLogger(factory.CreateLogger<T>()), ILogger<T>;

/// <summary>Creates Steadfast's loggers: redacting, or <see cref="NullLogger"/> when no factory is given.</summary>
internal static class RedactingLoggerFactoryExtensions
{
    /// <summary>A redacting logger of <paramref name="category"/>, or a null logger.</summary>
    public static ILogger CreateRedactingLogger(this ILoggerFactory? factory, string category)
        => factory is null ? NullLogger.Instance : new RedactingLogger(factory.CreateLogger(category));

    /// <summary>A redacting logger with the category of <typeparamref name="T"/>, or a null logger.</summary>
    public static ILogger<T> CreateRedactingLogger<T>(this ILoggerFactory? factory)
        => factory is null ? NullLogger<T>.Instance : new RedactingLogger<T>(factory);
}
