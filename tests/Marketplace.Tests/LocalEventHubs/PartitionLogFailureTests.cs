using Marketplace.LocalEventHubs.Storage;

namespace Marketplace.Tests.LocalEventHubs;

/// <summary>
/// A partition's log after a failed write or fsync: the failed batch is not acknowledged and leaves
/// nothing behind, not in the sequence numbers, not in what readers see, not in the file.
/// </summary>
public sealed class PartitionLogFailureTests
{
    public enum Failure
    {
        /// <summary>The second record of the batch fails to write: half of the batch reached the stream.</summary>
        Write,

        /// <summary>The whole batch reached the stream, and its flush (the fsync) fails.</summary>
        Flush,
    }

    [Theory]
    [InlineData(Failure.Write)]
    [InlineData(Failure.Flush)]
    public async Task A_failed_batch_leaves_nothing_and_the_log_goes_on_from_the_last_acknowledged_event(Failure failure)
    {
        var stream = new FailingStream();
        await using (var log = PartitionLog.Open(stream))
        {
            await log.AppendAsync([[1], [2]], (message, _) => message);
            var committed = stream.Length;

            stream.FailNext(failure);
            await Assert.ThrowsAsync<IOException>(() => log.AppendAsync([[3], [4], [5]], (message, _) => message));

            Assert.Equal(committed, stream.Length);
            Assert.Equal(2, log.Count);
            var after = await log.AppendAsync([[6]], (message, _) => message);
            Assert.Equal((2L, committed), (after.Single().SequenceNumber, after.Single().Offset));
            Assert.Equal([[1], [2], [6]], log.Read(0, 10).Select(e => e.Message));
        }

        // What a restart reads back: the acknowledged events only, numbered as they were.
        await using var reopened = PartitionLog.Open(new MemoryStream(stream.Bytes));
        var events = reopened.Read(0, 10);
        Assert.Equal([[1], [2], [6]], events.Select(e => e.Message));
        Assert.Equal([0L, 1L, 2L], events.Select(e => e.SequenceNumber));
    }

    /// <summary>A memory stream that fails one write (the second of the next batch) or the next flush, once.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private Failure? armed;
        private int writes;

        public byte[] Bytes { get; private set; } = [];

        public void FailNext(Failure failure) => (armed, writes) = (failure, 0);

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // Two writes per record (header, message): the third is the second record's header.
            if (armed == Failure.Write && ++writes == 3)
            {
                armed = null;
                throw new IOException("injected write failure");
            }

            base.Write(buffer);
        }

        public override void Flush()
        {
            if (armed == Failure.Flush)
            {
                armed = null;
                throw new IOException("injected fsync failure");
            }

            base.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            Bytes = ToArray(); // kept for the restart
            base.Dispose(disposing);
        }
    }
}
