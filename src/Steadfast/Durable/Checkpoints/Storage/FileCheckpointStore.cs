using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Steadfast;

/// <summary>
/// An <see cref="ICheckpointStore"/> in plain files under one directory: one folder per workflow, one file per
/// checkpoint and per completed step. Each file is written to a temporary name, flushed to disk and renamed, so a
/// crash mid-save leaves the previous file intact.
/// </summary>
/// <remarks>
/// Each file is a one-line JSON header (format version, time, checksum) followed by the data. Several processes may
/// share the directory; prefer <see cref="SqliteCheckpointStore"/> when many workflows run at once (one fsync per save).
/// </remarks>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private const string CheckpointExtension = ".ckpt";
    private const string StepExtension = ".step";
    private const string WorkflowFile = "workflow.json";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the store. Does no I/O: the directory is created on the first write.</summary>
    /// <param name="directory">The root directory, for example <c>/var/checkpoints</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public FileCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The full path of the root directory.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public async ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepNewest, 1);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Run("append a checkpoint", () =>
            {
                var folder = CheckpointFolder(checkpoint.WorkflowId);
                System.IO.Directory.CreateDirectory(folder);
                var sequences = Sequences(folder);
                var sequence = (sequences.Count == 0 ? 0 : sequences[^1]) + 1;
                var header = new FileHeader(checkpoint.FormatVersion, checkpoint.CreatedAt.UtcTicks, checkpoint.Checksum, null);
                while (!WriteAtomically(Path.Combine(folder, SequenceFile(sequence)), header, checkpoint.Data.Span, overwrite: false))
                {
                    sequence++; // another process took this number meanwhile
                }

                foreach (var old in Sequences(folder).Where(s => s <= sequence - keepNewest))
                {
                    File.Delete(Path.Combine(folder, SequenceFile(old)));
                }

                return sequence;
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<CheckpointInfo>>(Run("list checkpoints", () =>
        {
            var folder = CheckpointFolder(workflowId);
            var list = new List<CheckpointInfo>();
            foreach (var sequence in Enumerable.Reverse(Sequences(folder)))
            {
                var record = ReadRecord(workflowId, sequence, Path.Combine(folder, SequenceFile(sequence)));
                if (record is not null)
                {
                    list.Add(record.ToInfo());
                }
            }

            return list;
        }));
    }

    /// <inheritdoc />
    public ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("read a checkpoint",
            () => ReadRecord(workflowId, sequence, Path.Combine(CheckpointFolder(workflowId), SequenceFile(sequence)))));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("delete checkpoints", () =>
        {
            var folder = CheckpointFolder(workflowId);
            var sequences = Sequences(folder);
            foreach (var sequence in sequences)
            {
                File.Delete(Path.Combine(folder, SequenceFile(sequence)));
            }

            return sequences.Count;
        }));
    }

    /// <inheritdoc />
    public ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        cancellationToken.ThrowIfCancellationRequested();
        Run("save a workflow record", () =>
        {
            var folder = WorkflowFolder(workflow.WorkflowId);
            System.IO.Directory.CreateDirectory(folder);
            var data = JsonSerializer.SerializeToUtf8Bytes(workflow, FileCheckpointJsonContext.Default.WorkflowInfo);
            return WriteAtomically(Path.Combine(folder, WorkflowFile), new FileHeader(CheckpointConstants.FormatVersion, 0, DurableCodec.Checksum(data), null),
                data, overwrite: true);
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("read a workflow record", () => ReadWorkflow(WorkflowFolder(workflowId))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<WorkflowInfo>>(Run("list workflow records",
            () => System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.EnumerateDirectories(Directory).Select(ReadWorkflow).OfType<WorkflowInfo>().ToList()
                : []));
    }

    /// <inheritdoc />
    public ValueTask SaveStepAsync(WorkflowStepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        cancellationToken.ThrowIfCancellationRequested();
        Run("save a workflow step", () =>
        {
            var folder = StepFolder(step.WorkflowId);
            System.IO.Directory.CreateDirectory(folder);
            return WriteAtomically(Path.Combine(folder, Encode(step.Key) + StepExtension),
                new FileHeader(CheckpointConstants.FormatVersion, step.CompletedAt.UtcTicks, step.Checksum, step.Key), step.Result.Span, overwrite: true);
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run<IReadOnlyList<WorkflowStepRecord>>("read workflow steps", () =>
        {
            var folder = StepFolder(workflowId);
            if (!System.IO.Directory.Exists(folder))
            {
                return [];
            }

            var steps = new List<WorkflowStepRecord>();
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*" + StepExtension))
            {
                var (header, data) = ReadFile(file);
                if (header?.Key is { } key)
                {
                    steps.Add(new WorkflowStepRecord(workflowId, key, new DateTimeOffset(header.Ticks, TimeSpan.Zero), header.Checksum ?? string.Empty, data));
                }
            }

            return [.. steps.OrderBy(s => s.CompletedAt)];
        }));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("delete workflow steps", () =>
        {
            var folder = StepFolder(workflowId);
            if (!System.IO.Directory.Exists(folder))
            {
                return 0;
            }

            var count = System.IO.Directory.EnumerateFiles(folder, "*" + StepExtension).Count();
            System.IO.Directory.Delete(folder, recursive: true);
            return count;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run("delete a workflow", () =>
        {
            var folder = WorkflowFolder(workflowId);
            if (!System.IO.Directory.Exists(folder))
            {
                return false;
            }

            var existed = File.Exists(Path.Combine(folder, WorkflowFile));
            System.IO.Directory.Delete(folder, recursive: true);
            return existed;
        }));
    }

    private string WorkflowFolder(string workflowId) => Path.Combine(Directory, Encode(workflowId));

    private string CheckpointFolder(string workflowId) => Path.Combine(WorkflowFolder(workflowId), "checkpoints");

    private string StepFolder(string workflowId) => Path.Combine(WorkflowFolder(workflowId), "steps");

    private static string SequenceFile(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture) + CheckpointExtension;

    private static List<long> Sequences(string folder)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        var list = new List<long>();
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*" + CheckpointExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                list.Add(sequence);
            }
        }

        list.Sort();
        return list;
    }

    private static CheckpointRecord? ReadRecord(string workflowId, long sequence, string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var (header, data) = ReadFile(file);
        // An unreadable header still yields a record, so the reader sees (and reports) the corrupt checkpoint.
        return new CheckpointRecord(workflowId, sequence, new DateTimeOffset(header?.Ticks ?? 0, TimeSpan.Zero),
            header?.Version ?? 0, header?.Checksum ?? string.Empty, data);
    }

    private static WorkflowInfo? ReadWorkflow(string folder)
    {
        var file = Path.Combine(folder, WorkflowFile);
        if (!File.Exists(file))
        {
            return null;
        }

        var (header, data) = ReadFile(file);
        if (header is null || !DurableCodec.Verify(data, header.Checksum))
        {
            return null;
        }

        return JsonSerializer.Deserialize(data, FileCheckpointJsonContext.Default.WorkflowInfo);
    }

    private static (FileHeader? Header, byte[] Data) ReadFile(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            return (null, bytes);
        }

        FileHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(0, newline), FileCheckpointJsonContext.Default.FileHeader);
        }
        catch (JsonException)
        {
            header = null;
        }

        return (header, bytes[(newline + 1)..]);
    }

    private static bool WriteAtomically(string path, FileHeader header, ReadOnlySpan<byte> data, bool overwrite)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(header, FileCheckpointJsonContext.Default.FileHeader));
                stream.WriteByte((byte)'\n');
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            if (!overwrite && File.Exists(path))
            {
                return false;
            }

            File.Move(temp, path, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && File.Exists(path))
        {
            return false;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Releases the write gate. Files are closed after every call, so nothing else stays open. Idempotent.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private T Run<T>(string operation, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (StoreFailures.IsFileSystemError(ex))
        {
            throw new StoreException(StoreFailures.Classify(ex), nameof(FileCheckpointStore), Directory,
                $"FileCheckpointStore could not {operation} in '{Directory}': {ex.Message} " +
                "Check that the directory can be created and written by this process and that the disk is not full.", ex);
        }
    }

    /// <summary>Keeps ids readable in file names while making any character safe: letters, digits, '-' and '_' stay, the rest become %XX.</summary>
    private static string Encode(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b == '-' || b == '_')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Internal, not private: the source-generated FileCheckpointJsonContext reads it.
    internal sealed record FileHeader(int Version, long Ticks, string? Checksum, string? Key);
}
