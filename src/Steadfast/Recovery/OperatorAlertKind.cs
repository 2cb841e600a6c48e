namespace Steadfast;

/// <summary>What an <see cref="OperatorAlert"/> says.</summary>
public enum OperatorAlertKind
{
    /// <summary>A component has a problem that needs an operator.</summary>
    Problem = 0,

    /// <summary>A component that was alerted about is healthy again.</summary>
    Recovered,
}
