using System.Collections;

namespace Steadfast.AI.Chat;

/// <summary>The attempt log of an express request: one successful call. One small object; the record is made when read.</summary>
internal sealed class ExpressAttemptLog(string provider, decimal cost) : IReadOnlyList<ChatProviderAttempt>
{
    public int Count => 1;

    public ChatProviderAttempt this[int index] =>
        index == 0 ? new ChatProviderAttempt(provider, true, null, null, cost) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<ChatProviderAttempt> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
