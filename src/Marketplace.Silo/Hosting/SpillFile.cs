using Microsoft.Win32.SafeHandles;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// An append-only temporary file for the embedded store's cold states, gone with the process:
/// Windows deletes it when its last handle closes, and elsewhere it is unlinked at once and lives
/// on through the open handle. Appends are gathered in a block of memory that goes to the file
/// whole (a system call per state cost more than the serialization); reads of the block still
/// being gathered are served from it.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private const int BlockSize = 1 << 20;

    private readonly SafeFileHandle handle;
    private readonly Lock gate = new();
    private byte[] block = new byte[BlockSize];
    private int blockUsed;
    private long written; // bytes in the file; the block starts here

    public SpillFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"marketplace-states-{Environment.ProcessId}-{Guid.NewGuid():N}.spill");
        handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }
    }

    /// <summary>Appends <paramref name="bytes"/> and returns where they start.</summary>
    public long Append(ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            if (blockUsed + bytes.Length > block.Length)
            {
                Flush();
                if (bytes.Length > block.Length)
                {
                    block = new byte[bytes.Length]; // a state larger than a block gets a block of its own
                }
            }

            var offset = written + blockUsed;
            bytes.CopyTo(block.AsSpan(blockUsed));
            blockUsed += bytes.Length;
            return offset;
        }
    }

    public byte[] Read(long offset, int count)
    {
        var bytes = new byte[count];
        lock (gate)
        {
            if (offset >= written)
            {
                block.AsSpan((int)(offset - written), count).CopyTo(bytes);
                return bytes;
            }
        }

        // Written to the file, which never changes what it holds: no lock needed.
        var read = 0;
        while (read < count)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"The spill file ends before byte {offset + count}.");
            }

            read += n;
        }

        return bytes;
    }

    public void Dispose() => handle.Dispose();

    private void Flush()
    {
        RandomAccess.Write(handle, block.AsSpan(0, blockUsed), written);
        written += blockUsed;
        blockUsed = 0;
        if (block.Length != BlockSize)
        {
            block = new byte[BlockSize];
        }
    }
}
