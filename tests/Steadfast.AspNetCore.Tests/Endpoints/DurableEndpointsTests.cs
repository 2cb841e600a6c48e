using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class DurableEndpointsTests
{
    [Fact]
    public async Task GetQueues_NoneConfigured_ReturnsEmptyArray()
    {
        await using var host = await TestHost.StartAsync();

        Assert.Equal("[]", await host.Client().GetStringAsync("/steadfast/queues"));
    }

    [Fact]
    public async Task GetQueues_ConfiguredQueue_ReportsDepthAndDeadLettersWithoutPayload()
    {
        await using var host = await TestHost.StartAsync(
            services: s => s.AddSteadfast().AddDurableQueue<string>("orders", o => o.MaxDeliveryAttempts = 1),
            web: o => o.QueueNames.Add("orders"));
        var queue = host.Services.GetRequiredKeyedService<DurableQueue<string>>("orders");
        await queue.EnqueueAsync("secret-payload-1");
        await queue.ProcessAsync((_, _) => throw new InvalidOperationException("handler failed: token=abc123secretvalue"), stopWhenEmpty: true);
        await queue.EnqueueAsync("waiting");

        var body = await host.Client().GetStringAsync("/steadfast/queues");

        var queues = JsonDocument.Parse(body).RootElement;
        var orders = Assert.Single(queues.EnumerateArray());
        Assert.Equal("orders", orders.GetProperty("name").GetString());
        Assert.Equal(1, orders.GetProperty("pending").GetInt64());
        Assert.Equal(1, orders.GetProperty("deadLettered").GetInt64());
        Assert.Contains("handler failed", orders.GetProperty("deadLetters")[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-payload-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123secretvalue", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkflows_AfterRuns_ListsEachWithStatusAndSteps()
    {
        await using var host = await TestHost.StartAsync();
        var runner = host.Services.GetRequiredService<WorkflowRunner>();
        await runner.RunAsync("import-1", 2, async (ctx, n, ct) =>
        {
            for (var i = 0; i < n; i++)
            {
                await ctx.StepAsync("step-" + i, _ => Task.FromResult(i));
            }

            return n;
        });

        var workflows = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/workflows");

        var workflow = Assert.Single(workflows.EnumerateArray());
        Assert.Equal("import-1", workflow.GetProperty("workflowId").GetString());
        Assert.Equal("Completed", workflow.GetProperty("status").GetString());
        Assert.Equal(2, workflow.GetProperty("completedSteps").GetInt32());
        Assert.Equal(0, workflow.GetProperty("checkpoints").GetInt32());
    }
}
