using Microsoft.Win32.SafeHandles;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// An append-only temporary file for the embedded store's cold states, gone with the process:
/// Windows deletes it when its last handle closes, and elsewhere it is unlinked at once and lives
/// on through the open handle. Appends reserve their range atomically and reads are positional,
/// so neither needs a lock.
/// </summary>
internal sealed class SpillFile
{
    private readonly SafeFileHandle handle;
    private long length;

    public SpillFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"marketplace-states-{Environment.ProcessId}-{Guid.NewGuid():N}.spill");
        handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }
    }

    public long Append(ReadOnlySpan<byte> bytes)
    {
        var offset = Interlocked.Add(ref length, bytes.Length) - bytes.Length;
        RandomAccess.Write(handle, bytes, offset);
        return offset;
    }

    public byte[] Read(long offset, int count)
    {
        var bytes = new byte[count];
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
}
