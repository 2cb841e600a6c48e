namespace Steadfast.AI.Tests.Creative;

/// <summary>The contract of <see cref="ICreativeProposalStore"/>, for the in-memory store and the SQLite one on a real file.</summary>
public sealed class CreativeProposalStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();

    public static TheoryData<string> Stores => ["memory", "sqlite"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_SameNameAgain_KeepsTheFirstAndItsOutcomes(string kind)
    {
        await using var store = Create(kind);
        await store.SaveAsync(Record("creative:t:1", "{\"key\":\"a\"}", T0));
        await store.RecordOutcomeAsync("op", "creative:t:1", succeeded: true, T0.AddMinutes(1));

        await store.SaveAsync(Record("creative:t:1", "{\"key\":\"other\"}", T0.AddMinutes(2)));
        var kept = await store.GetAsync("op", "creative:t:1");

        Assert.NotNull(kept);
        Assert.Equal("{\"key\":\"a\"}", kept.Arguments);
        Assert.True(kept.LastSucceeded);
        Assert.Equal(1, kept.Successes);
        Assert.Equal(T0.AddMinutes(1), kept.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RecordOutcomeAsync_CountsEachRun_AndTheLastDecides(string kind)
    {
        await using var store = Create(kind);
        await store.SaveAsync(Record("creative:t:1", "{}", T0));

        await store.RecordOutcomeAsync("op", "creative:t:1", succeeded: true, T0.AddMinutes(1));
        await store.RecordOutcomeAsync("op", "creative:t:1", succeeded: false, T0.AddMinutes(2));
        await store.RecordOutcomeAsync("op", "creative:unknown:1", succeeded: true, T0.AddMinutes(3));
        var kept = (await store.GetAsync("op", "creative:t:1"))!;

        Assert.False(kept.LastSucceeded);
        Assert.Equal(1, kept.Successes);
        Assert.Equal(1, kept.Failures);
        Assert.Null(await store.GetAsync("op", "creative:unknown:1"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task LoadAsync_Limit_ReturnsTheMostRecentlyUpdatedFirst(string kind)
    {
        await using var store = Create(kind);
        await store.SaveAsync(Record("creative:t:old", "{}", T0));
        await store.SaveAsync(Record("creative:t:mid", "{}", T0.AddMinutes(1)));
        await store.SaveAsync(Record("creative:t:new", "{}", T0.AddMinutes(2)));
        await store.RecordOutcomeAsync("op", "creative:t:old", succeeded: true, T0.AddMinutes(5));

        var snapshot = await store.LoadAsync(2);

        Assert.Equal(["creative:t:old", "creative:t:new"], snapshot.Proposals.Select(p => p.StrategyName));
        Assert.Equal(0, snapshot.SkippedRows);
    }

    public void Dispose() => _temp.Dispose();

    private static CreativeProposalRecord Record(string name, string arguments, DateTimeOffset at) =>
        new("op", name, "t", arguments) { Rationale = "why", RecordedAt = at, UpdatedAt = at };

    private ICreativeProposalStore Create(string kind) =>
        kind == "memory" ? new InMemoryCreativeProposalStore() : new SqliteCreativeProposalStore(_temp.File("proposals.db"));
}
