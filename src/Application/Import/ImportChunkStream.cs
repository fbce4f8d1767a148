using Marten;

namespace CustomerInfo.Application.Import;

/// <summary>
/// An uploaded file read back from PostgreSQL one <see cref="ImportChunk"/> at a time, forward only:
/// at most one chunk is held, whatever the file's size.
/// </summary>
public sealed class ImportChunkStream(IQuerySession session, Guid importId, int chunks) : Stream
{
    private byte[] current = [];
    private int offset;
    private int next;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (offset == current.Length)
        {
            if (next >= chunks)
            {
                return 0;
            }

            // CsvHelper is read with its async methods; a synchronous read still works, blocking.
            Take(session.LoadAsync<ImportChunk>(ImportChunk.IdOf(importId, next)).GetAwaiter().GetResult());
        }

        return Copy(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (offset == current.Length)
        {
            if (next >= chunks)
            {
                return 0;
            }

            Take(await session.LoadAsync<ImportChunk>(ImportChunk.IdOf(importId, next), cancellationToken));
        }

        return Copy(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Take(ImportChunk? chunk)
    {
        // A missing chunk is a file that was cleaned up or never completed: reading it must stop, not skip.
        current = chunk?.Data ?? throw new InvalidOperationException($"Chunk {next} of import {importId} is missing.");
        offset = 0;
        next++;
    }

    private int Copy(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, current.Length - offset);
        current.AsSpan(offset, count).CopyTo(buffer);
        offset += count;
        return count;
    }
}
