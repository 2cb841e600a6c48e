namespace Steadfast;

/// <summary>What a <see cref="TimeoutPolicy"/> does when the operation runs past its timeout.</summary>
public enum TimeoutBehavior
{
    /// <summary>Throw <see cref="OperationTimeoutException"/>.</summary>
    Throw = 0,

    /// <summary>Return <see cref="TimeoutOptions.DefaultValue"/> (or the result type's default) as if the call had succeeded.</summary>
    ReturnDefault,
}
