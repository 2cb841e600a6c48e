namespace Steadfast;

/// <summary>Defaults and limits of durable queues.</summary>
internal static class DurableQueueConstants
{
    public const long DefaultMaxSize = 1000;                  // the seed's max_size
    public const int DefaultMaxDeliveryAttempts = 5;
    public const int MaxMaxDeliveryAttempts = 1000;
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromHours(1);
    public const int MaxWorkerCount = 256;
    public const int DefaultDeadLetterPage = 1000;
    public const string HandlerOperationName = "queue-handler";
}
