using System.Collections;

namespace Steadfast;

/// <summary>
/// The structured values of a log record with the secrets taken out: text values are redacted, numbers, enums and times
/// kept; the template (<c>{OriginalFormat}</c>) is kept so log processors still group records by it.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _message;

    public RedactedLogState(IReadOnlyList<KeyValuePair<string, object?>>? values, string redactedMessage)
    {
        _message = redactedMessage;
        if (values is null)
        {
            _values = [];
            return;
        }

        _values = new KeyValuePair<string, object?>[values.Count];
        for (var i = 0; i < _values.Length; i++)
        {
            var (key, value) = values[i];
            _values[i] = new(key, key == OriginalFormat ? value : Redact(key, value));
        }
    }

    /// <summary>The formatter passed with this state: the redacted message.</summary>
    public static Func<RedactedLogState, Exception?, string> Format { get; } = (state, _) => state._message;

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => _message;

    private static object? Redact(string key, object? value) => value switch
    {
        null => null,
        string text => SecretRedactor.IsSecretKey(key) ? SecretRedactor.RedactedValue : SecretRedactor.RedactUnbounded(text),
        Exception ex => RedactedException.For(ex),
        IFormattable or bool or char => value, // numbers, enums, times, durations: nothing secret to find
        _ => SecretRedactor.IsSecretKey(key) ? SecretRedactor.RedactedValue : SecretRedactor.RedactUnbounded(value.ToString() ?? string.Empty),
    };
}
