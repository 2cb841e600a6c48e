using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The configurable part of <see cref="WorkflowRunOptions"/>, bound from configuration instead of the options themselves:
/// the binding generator cannot bind (and must not try) their <see cref="WorkflowRunOptions.SerializerOptions"/>, which is
/// code-only. A value absent from the configuration leaves the option as it is.
/// </summary>
internal sealed class WorkflowRunSettings
{
    public bool? ResumeFromCheckpoint { get; set; }

    public long? MaxStepResultBytes { get; set; }

    public void ApplyTo(WorkflowRunOptions options)
    {
        if (ResumeFromCheckpoint is { } resume)
        {
            options.ResumeFromCheckpoint = resume;
        }

        if (MaxStepResultBytes is { } maxBytes)
        {
            options.MaxStepResultBytes = maxBytes;
        }
    }
}
