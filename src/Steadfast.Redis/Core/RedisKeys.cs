using StackExchange.Redis;

namespace Steadfast.Redis.Core;

/// <summary>
/// The names of every key and channel, in one place (docs/redis.md lists them): the prefix, the schema version, then the
/// part. User-given names (operations, workflows, queues) always come last, so no name can make two keys collide.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>The schema version in every key; bumped when a stored format changes incompatibly.</summary>
    public const string SchemaVersion = "v1";

    private readonly string _root = prefix + SchemaVersion + ":";

    public string Root => _root;

    // Learning
    public RedisKey FailureIds => _root + "failures:id";
    public RedisKey FailureData => _root + "failures:data";
    public RedisKey FailuresByTime => _root + "failures:by-time";
    public RedisKey FailureCounts => _root + "failures:counts";
    public RedisKey FailuresByOperation(string operation) => _root + "failures:by-op:" + operation;
    public string FailuresByOperationPattern => _root + "failures:by-op:*";
    public RedisKey Blacklist => _root + "blacklist";
    public RedisKey Statistics => _root + "stats";

    // Circuits
    public RedisKey Circuits => _root + "circuits";
    public RedisKey CircuitProbes(string circuit, long generation) => _root + "circuit-probe:" + generation.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + circuit;

    // Checkpoints and workflows
    public RedisKey CheckpointSequence(string workflowId) => _root + "cp:seq:" + workflowId;
    public RedisKey Checkpoints(string workflowId) => _root + "cp:data:" + workflowId;
    public RedisKey Workflows => _root + "wf:records";
    public RedisKey Steps(string workflowId) => _root + "wf:steps:" + workflowId;
    public RedisKey StepSequence(string workflowId) => _root + "wf:step-seq:" + workflowId;

    /// <summary>The prefix of one queue's keys; the queue name is a hash tag so a cluster keeps a queue's keys on one node.</summary>
    public string Queue(string queueName) => _root + "queue:{" + queueName + "}:";

    // Pub/sub
    public RedisChannel LearningChannel => RedisChannel.Literal(_root + "channel:learning");
    public RedisChannel CircuitChannel => RedisChannel.Literal(_root + "channel:circuits");
    public RedisChannel EventChannel => RedisChannel.Literal(_root + "channel:events");
}
