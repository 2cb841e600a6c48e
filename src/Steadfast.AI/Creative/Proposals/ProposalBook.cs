namespace Steadfast.AI.Creative;

/// <summary>
/// What the solver remembers of its proposals, per operation: each accepted proposal under its stable strategy name, with
/// the outcome of its last run (so a failed one is refused and a working one offered again without asking the model),
/// and accepted proposals not offered yet. Bounded: the oldest are forgotten first.
/// </summary>
internal sealed class ProposalBook(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Operation, string Name), Entry> _entries = [];
    private readonly Queue<(string Operation, string Name)> _order = new();
    private readonly Dictionary<string, Queue<Proposal>> _pending = new(StringComparer.Ordinal);

    // Names restored from the store whose last run failed but whose proposal could not be rebuilt (its arguments lost a
    // secret to redaction, its tool is gone): still refused when proposed again.
    private readonly HashSet<(string Operation, string Name)> _failedNames = [];

    public void Remember(string operation, Proposal proposal)
    {
        lock (_lock)
        {
            var key = (operation, proposal.StrategyName);
            if (_entries.ContainsKey(key))
            {
                return;
            }

            _entries[key] = new Entry(proposal);
            _order.Enqueue(key);
            while (_entries.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _entries.Remove(oldest);
            }
        }
    }

    /// <summary>Puts back a proposal read from the store, with its outcomes; one known already is left as it is.</summary>
    public void Restore(string operation, Proposal proposal, bool? lastSucceeded, long successes, long failures)
    {
        Remember(operation, proposal);
        lock (_lock)
        {
            if (_entries.TryGetValue((operation, proposal.StrategyName), out var entry) && entry.LastSucceeded is null)
            {
                entry.LastSucceeded = lastSucceeded;
                entry.Successes = successes;
                entry.Failures = failures;
            }
        }
    }

    /// <summary>Remembers that <paramref name="name"/> failed when its proposal cannot be rebuilt.</summary>
    public void RestoreFailedName(string operation, string name)
    {
        lock (_lock)
        {
            if (_failedNames.Count < capacity)
            {
                _failedNames.Add((operation, name));
            }
        }
    }

    /// <summary>Whether the proposal <paramref name="name"/> is known here (remembered, or known to have failed).</summary>
    public bool Knows(string operation, string name)
    {
        lock (_lock)
        {
            return _entries.ContainsKey((operation, name)) || _failedNames.Contains((operation, name));
        }
    }

    public void RecordOutcome(string operation, string name, bool succeeded)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((operation, name), out var entry))
            {
                entry.LastSucceeded = succeeded;
                if (succeeded)
                {
                    entry.Successes++;
                }
                else
                {
                    entry.Failures++;
                }
            }
        }
    }

    /// <summary>Whether the proposal ran and its last run failed.</summary>
    public bool HasFailed(string operation, string name)
    {
        lock (_lock)
        {
            return (_entries.TryGetValue((operation, name), out var entry) && entry.LastSucceeded == false) || _failedNames.Contains((operation, name));
        }
    }

    /// <summary>Proposals whose last run succeeded, most successes first.</summary>
    public List<(Proposal Proposal, long Successes)> KnownGood(string operation)
    {
        lock (_lock)
        {
            return [.. _entries
                .Where(e => string.Equals(e.Key.Operation, operation, StringComparison.Ordinal) && e.Value.LastSucceeded == true)
                .Select(e => (e.Value.Proposal, e.Value.Successes))
                .OrderByDescending(e => e.Successes)];
        }
    }

    public void AddPending(string operation, IEnumerable<Proposal> proposals)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(operation, out var queue))
            {
                _pending[operation] = queue = new Queue<Proposal>();
            }

            foreach (var p in proposals)
            {
                if (queue.Count < capacity)
                {
                    queue.Enqueue(p);
                }
            }
        }
    }

    /// <summary>Takes the next pending proposal that <paramref name="usable"/> accepts; unusable ones are dropped.</summary>
    public Proposal? TakePending(string operation, Func<Proposal, bool> usable)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(operation, out var queue))
            {
                return null;
            }

            while (queue.TryDequeue(out var p))
            {
                if (usable(p) && !(_entries.TryGetValue((operation, p.StrategyName), out var e) && e.LastSucceeded == false))
                {
                    return p;
                }
            }

            return null;
        }
    }

    private sealed class Entry(Proposal proposal)
    {
        public Proposal Proposal { get; } = proposal;

        public bool? LastSucceeded { get; set; }

        public long Successes { get; set; }

        public long Failures { get; set; }
    }
}
