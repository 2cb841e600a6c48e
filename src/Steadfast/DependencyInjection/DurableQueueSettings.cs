using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The configurable part of <see cref="DurableQueueOptions"/>, bound from configuration instead of the options themselves:
/// the binding generator cannot bind (and must not try) their <see cref="DurableQueueOptions.SerializerOptions"/>, which is
/// code-only. A value absent from the configuration leaves the option as it is.
/// </summary>
internal sealed class DurableQueueSettings
{
    public long? MaxSize { get; set; }

    public int? MaxDeliveryAttempts { get; set; }

    public TimeSpan? LeaseDuration { get; set; }

    public TimeSpan? PollInterval { get; set; }

    public void ApplyTo(DurableQueueOptions options)
    {
        if (MaxSize is { } maxSize)
        {
            options.MaxSize = maxSize;
        }

        if (MaxDeliveryAttempts is { } attempts)
        {
            options.MaxDeliveryAttempts = attempts;
        }

        if (LeaseDuration is { } lease)
        {
            options.LeaseDuration = lease;
        }

        if (PollInterval is { } poll)
        {
            options.PollInterval = poll;
        }
    }
}
