namespace Steadfast;

/// <summary>What a <see cref="CreativeSolverEvent"/> reports.</summary>
public enum CreativeEventKind
{
    /// <summary>The model was asked for proposals.</summary>
    Asked,

    /// <summary>The model (or its client) failed; the solver had no proposal and the execution ended as it would have without it.</summary>
    ModelFailed,

    /// <summary>The model proposed a tool call or a program.</summary>
    Proposed,

    /// <summary>A proposal passed validation and became a strategy.</summary>
    Accepted,

    /// <summary>A proposal was refused; <see cref="CreativeSolverEvent.Reason"/> says why.</summary>
    Refused,

    /// <summary>A proposal that worked before was offered again without asking the model.</summary>
    Reused,

    /// <summary>A generated program ran in the sandbox; <see cref="CreativeSolverEvent.Reason"/> says how it ended.</summary>
    SandboxRan,

    /// <summary>A proposed strategy succeeded.</summary>
    Succeeded,

    /// <summary>A proposed strategy failed.</summary>
    Failed,

    /// <summary>Proposals were read back from the solver's store (after a restart); <see cref="CreativeSolverEvent.Reason"/> says how many, and how many were skipped and why.</summary>
    Restored,
}
