namespace Steadfast;

/// <summary>Options of a <see cref="SteadfastChatClient"/>.</summary>
public sealed class SteadfastChatOptions
{
    /// <summary>How providers are tried: one at a time in rank order, raced, or hedged.</summary>
    /// <value>The default is <see cref="ExecutionMode.Sequential"/>.</value>
    public ExecutionMode Mode { get; set; } = ExecutionMode.Sequential;

    /// <summary>
    /// The most one request may cost. A provider whose estimated cost (input tokens counted beforehand, plus
    /// <c>ChatOptions.MaxOutputTokens</c> at the output price) exceeds it is skipped with that reason; when the client makes its
    /// own engine, the engine's cost budget per execution is also capped at this value.
    /// </summary>
    /// <value>The default is <see langword="null"/>: only the engine's <see cref="ResilienceOptions.MaxApiCost"/> applies.</value>
    public decimal? MaxCostPerRequest { get; set; }

    /// <summary>The options of the engine the client makes when none is given (ignored when an engine is given).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="ResilienceOptions"/> defaults with 2 attempts per provider.</value>
    public ResilienceOptions? Engine { get; set; }

    /// <summary>The operation name the providers are learned under (circuits are named <c>operation/provider</c>).</summary>
    /// <value>The default is <c>chat</c>.</value>
    public string OperationName { get; set; } = ChatConstants.DefaultOperationName;

    /// <summary>The text of the response returned when every provider is unavailable (marked <c>steadfast.degraded = true</c>).</summary>
    /// <value>The default is a short notice that the AI service is temporarily unavailable.</value>
    public string DegradedResponseText { get; set; } = ChatConstants.DefaultDegradedText;

    /// <summary>Whether to throw <see cref="AllProvidersUnavailableException"/> instead of returning the degraded response.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ThrowWhenAllUnavailable { get; set; }

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and the allowed range.</exception>
    public void Validate()
    {
        const string owner = nameof(SteadfastChatOptions);
        Guard.That(Enum.IsDefined(Mode), Mode, "must be Sequential, Race or Hedged", owner);
        if (MaxCostPerRequest is { } max)
        {
            Guard.That(max > 0m, max, "must be more than 0 (or null for no limit)", owner, nameof(MaxCostPerRequest));
        }

        Guard.NotNullOrWhiteSpace(OperationName, owner);
        ArgumentNullException.ThrowIfNull(DegradedResponseText, $"{owner}.{nameof(DegradedResponseText)}");
        Engine?.Validate();
    }

    /// <summary>Copies the options (the engine options too).</summary>
    /// <returns>An independent copy.</returns>
    public SteadfastChatOptions Clone()
    {
        var copy = (SteadfastChatOptions)MemberwiseClone();
        copy.Engine = Engine?.Clone();
        return copy;
    }
}
