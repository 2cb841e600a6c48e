namespace Steadfast;

/// <summary>
/// Limits of generated code: how large a program may be, and the sandbox it runs in (out of process, in <c>bwrap</c>
/// under <c>prlimit</c>). See docs/creative.md.
/// </summary>
public sealed class GeneratedCodeOptions
{
    private const string Owner = nameof(GeneratedCodeOptions);

    /// <summary>Wall-clock limit of one run (1 second to 10 minutes); the process tree is killed when it passes.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = CreativeConstants.DefaultCodeTimeout;

    /// <summary>CPU seconds one run may use (1 to 600; <c>prlimit --cpu</c>).</summary>
    /// <value>The default is 5.</value>
    public int CpuSeconds { get; set; } = CreativeConstants.DefaultCpuSeconds;

    /// <summary>Address space of the program's process (2 GiB to 64 GiB; <c>prlimit --as</c>). A .NET process reserves much more than it uses, so less than 2 GiB does not start.</summary>
    /// <value>The default is 3 GiB.</value>
    public long AddressSpaceBytes { get; set; } = CreativeConstants.DefaultAddressSpaceBytes;

    /// <summary>The program's managed heap (16 MiB to 1 GiB; <c>DOTNET_GCHeapHardLimit</c>): past it, allocations throw <see cref="OutOfMemoryException"/>.</summary>
    /// <value>The default is 256 MiB.</value>
    public long HeapLimitBytes { get; set; } = CreativeConstants.DefaultHeapLimitBytes;

    /// <summary>Bytes of standard output kept (1 KiB to 16 MiB); a program that writes more is killed and its run fails.</summary>
    /// <value>The default is 64 KiB.</value>
    public int MaxOutputBytes { get; set; } = CreativeConstants.DefaultMaxOutputBytes;

    /// <summary>Largest file the program may write, in its private /tmp (4 KiB to 1 GiB; <c>prlimit --fsize</c>).</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxFileBytes { get; set; } = CreativeConstants.DefaultMaxFileBytes;

    /// <summary>Processes and threads of the sandbox user (16 to 4,096; <c>prlimit --nproc</c>); a .NET process needs about 20.</summary>
    /// <value>The default is 256.</value>
    public int MaxProcesses { get; set; } = CreativeConstants.DefaultMaxProcesses;

    /// <summary>Size of the private /tmp (1 MiB to 1 GiB).</summary>
    /// <value>The default is 16 MiB.</value>
    public long TmpfsBytes { get; set; } = CreativeConstants.DefaultTmpfsBytes;

    /// <summary>Longest program accepted, in characters (100 to 1,000,000).</summary>
    /// <value>The default is 16,000.</value>
    public int MaxSourceLength { get; set; } = CreativeConstants.DefaultMaxSourceLength;

    /// <summary>The <c>bwrap</c> executable; looked up on <c>PATH</c> when <see langword="null"/>. When it is missing, generated code is refused.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? BwrapPath { get; set; }

    /// <summary>The <c>prlimit</c> executable; looked up on <c>PATH</c> when <see langword="null"/>. When it is missing, generated code is refused.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? PrlimitPath { get; set; }

    /// <summary>Copies the options.</summary>
    /// <returns>A copy.</returns>
    public GeneratedCodeOptions Clone() => (GeneratedCodeOptions)MemberwiseClone();

    /// <summary>Checks every option; throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message names <c>GeneratedCodeOptions.Property</c>, the range and the value.</exception>
    public void Validate()
    {
        CreativeGuard.InRange(Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), $"{Owner}.{nameof(Timeout)}");
        CreativeGuard.InRange(CpuSeconds, 1, 600, $"{Owner}.{nameof(CpuSeconds)}");
        CreativeGuard.InRange(AddressSpaceBytes, CreativeConstants.MinAddressSpaceBytes, 64L << 30, $"{Owner}.{nameof(AddressSpaceBytes)}");
        CreativeGuard.InRange(HeapLimitBytes, 16L << 20, 1L << 30, $"{Owner}.{nameof(HeapLimitBytes)}");
        CreativeGuard.InRange(MaxOutputBytes, 1 << 10, 16 << 20, $"{Owner}.{nameof(MaxOutputBytes)}");
        CreativeGuard.InRange(MaxFileBytes, 4L << 10, 1L << 30, $"{Owner}.{nameof(MaxFileBytes)}");
        CreativeGuard.InRange(MaxProcesses, 16, 4096, $"{Owner}.{nameof(MaxProcesses)}");
        CreativeGuard.InRange(TmpfsBytes, 1L << 20, 1L << 30, $"{Owner}.{nameof(TmpfsBytes)}");
        CreativeGuard.InRange(MaxSourceLength, 100, 1_000_000, $"{Owner}.{nameof(MaxSourceLength)}");
    }
}
