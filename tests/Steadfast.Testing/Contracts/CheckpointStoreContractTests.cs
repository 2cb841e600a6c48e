using System.Security.Cryptography;
using System.Text;

namespace Steadfast.Testing.Contracts;

/// <summary>The behaviour every <see cref="ICheckpointStore"/> shares; each adapter supplies only the factory.</summary>
public abstract class CheckpointStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Stores keep checksums as given (callers compute and verify them); any SHA-256 hex string will do here.
    private static string Checksum(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    protected CheckpointStoreContractTests() => Store = CreateStore(Temp);

    public TempDirectory Temp { get; } = new();

    protected ICheckpointStore Store { get; }

    protected abstract ICheckpointStore CreateStore(TempDirectory temp);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Temp.Dispose();
    }

    private static CheckpointRecord Checkpoint(string workflowId, string text, DateTimeOffset? at = null)
    {
        var data = Encoding.UTF8.GetBytes(text);
        return new CheckpointRecord(workflowId, 0, at ?? T0, 1, Checksum(data), data);
    }

    [Fact]
    public async Task AppendCheckpointAsync_Successive_AssignsIncreasingSequences()
    {
        Assert.Equal(1, await Store.AppendCheckpointAsync(Checkpoint("w", "a"), 10));
        Assert.Equal(2, await Store.AppendCheckpointAsync(Checkpoint("w", "b"), 10));
        Assert.Equal(1, await Store.AppendCheckpointAsync(Checkpoint("other", "c"), 10));
    }

    [Fact]
    public async Task AppendCheckpointAsync_OverKeepNewest_DeletesOldest()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendCheckpointAsync(Checkpoint("w", "s" + i), 3);
        }

        var infos = await Store.ListCheckpointsAsync("w");
        Assert.Equal([5L, 4L, 3L], infos.Select(i => i.Sequence));
        Assert.Null(await Store.ReadCheckpointAsync("w", 2));
    }

    [Fact]
    public async Task ReadCheckpointAsync_Stored_RoundTripsEveryField()
    {
        var written = Checkpoint("w/with:odd chars", "{\"x\":1}", T0.AddTicks(7));
        var sequence = await Store.AppendCheckpointAsync(written, 10);

        var read = await Store.ReadCheckpointAsync("w/with:odd chars", sequence);

        Assert.NotNull(read);
        Assert.Equal(written.CreatedAt, read.CreatedAt);
        Assert.Equal(written.Checksum, read.Checksum);
        Assert.Equal(1, read.FormatVersion);
        Assert.Equal(written.Data.ToArray(), read.Data.ToArray());
        var info = Assert.Single(await Store.ListCheckpointsAsync("w/with:odd chars"));
        Assert.Equal(new CheckpointInfo(sequence, written.CreatedAt, 7, written.Checksum, 1), info);
    }

    [Fact]
    public async Task ListCheckpointsAsync_UnknownWorkflow_IsEmpty()
    {
        Assert.Empty(await Store.ListCheckpointsAsync("nobody"));
        Assert.Null(await Store.ReadCheckpointAsync("nobody", 1));
    }

    [Fact]
    public async Task DeleteCheckpointsAsync_Stored_DeletesOnlyThatWorkflow()
    {
        await Store.AppendCheckpointAsync(Checkpoint("w", "a"), 10);
        await Store.AppendCheckpointAsync(Checkpoint("w", "b"), 10);
        await Store.AppendCheckpointAsync(Checkpoint("keep", "c"), 10);

        Assert.Equal(2, await Store.DeleteCheckpointsAsync("w"));
        Assert.Empty(await Store.ListCheckpointsAsync("w"));
        Assert.Single(await Store.ListCheckpointsAsync("keep"));
    }

    [Fact]
    public async Task SaveWorkflowAsync_ThenGet_RoundTripsAndReplaces()
    {
        var info = new WorkflowInfo("w", WorkflowStatus.Running, T0, T0, 1, 0, null);
        await Store.SaveWorkflowAsync(info);
        Assert.Equal(info, await Store.GetWorkflowAsync("w"));

        var failed = info with { Status = WorkflowStatus.Failed, UpdatedAt = T0.AddMinutes(1), CompletedSteps = 2, Error = "boom" };
        await Store.SaveWorkflowAsync(failed);

        Assert.Equal(failed, await Store.GetWorkflowAsync("w"));
        Assert.Equal([failed], await Store.ListWorkflowsAsync());
        Assert.Null(await Store.GetWorkflowAsync("other"));
    }

    [Fact]
    public async Task SaveStepAsync_SameKey_ReplacesAndKeepsOthers()
    {
        var first = Encoding.UTF8.GetBytes("1");
        var second = Encoding.UTF8.GetBytes("2");
        await Store.SaveStepAsync(new WorkflowStepRecord("w", "a#0", T0, Checksum(first), first));
        await Store.SaveStepAsync(new WorkflowStepRecord("w", "b#0", T0.AddSeconds(1), Checksum(first), first));
        await Store.SaveStepAsync(new WorkflowStepRecord("w", "a#0", T0.AddSeconds(2), Checksum(second), second));

        var steps = await Store.GetStepsAsync("w");

        Assert.Equal(2, steps.Count);
        var a = Assert.Single(steps, s => s.Key == "a#0");
        Assert.Equal(second, a.Result.ToArray());
        Assert.Equal(Checksum(second), a.Checksum);
        Assert.Empty(await Store.GetStepsAsync("other"));
    }

    [Fact]
    public async Task DeleteStepsAsync_Stored_DeletesThem()
    {
        var data = Encoding.UTF8.GetBytes("1");
        await Store.SaveStepAsync(new WorkflowStepRecord("w", "a#0", T0, Checksum(data), data));

        Assert.Equal(1, await Store.DeleteStepsAsync("w"));
        Assert.Empty(await Store.GetStepsAsync("w"));
        Assert.Equal(0, await Store.DeleteStepsAsync("w"));
    }

    [Fact]
    public async Task DeleteWorkflowAsync_Stored_DeletesRecordStepsAndCheckpoints()
    {
        var data = Encoding.UTF8.GetBytes("1");
        await Store.SaveWorkflowAsync(new WorkflowInfo("w", WorkflowStatus.Completed, T0, T0, 1, 1, null));
        await Store.SaveStepAsync(new WorkflowStepRecord("w", "a#0", T0, Checksum(data), data));
        await Store.AppendCheckpointAsync(Checkpoint("w", "x"), 10);

        Assert.True(await Store.DeleteWorkflowAsync("w"));

        Assert.Null(await Store.GetWorkflowAsync("w"));
        Assert.Empty(await Store.GetStepsAsync("w"));
        Assert.Empty(await Store.ListCheckpointsAsync("w"));
        Assert.False(await Store.DeleteWorkflowAsync("w"));
    }

    [Fact]
    public async Task AppendCheckpointAsync_Concurrent_GivesDistinctSequences()
    {
        var sequences = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Store.AppendCheckpointAsync(Checkpoint("w", "s" + i), 100).AsTask()));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sequences.Order());
    }
}
