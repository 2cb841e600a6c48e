namespace Steadfast;

/// <summary>What a <see cref="WriteItem"/> asks the background writer to do.</summary>
internal enum WriteKind
{
    Failure,
    BlacklistUpsert,
    BlacklistRemove,
    Statistics,
    Cleanup,
    Clear,
    Flush,
}
