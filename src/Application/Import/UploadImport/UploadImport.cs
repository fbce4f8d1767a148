using CsvHelper;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.UploadImport;

/// <summary>
/// Stores an uploaded customer list in PostgreSQL, <see cref="ImportChunk.Size"/> at a time, finding
/// its encoding as it goes; then reads it back once to find its columns and count its rows. A file
/// that cannot be imported (empty, a header only, not text, not readable as CSV) is refused with
/// the reason and leaves nothing behind.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record UploadImportCommand(string? FileName, Stream Content) : ICommand<UploadImportResult>;

public enum UploadRefusal
{
    Empty,
    HeaderOnly,
    NotText,
    NotCsv,
    TooManyColumns,
}

public sealed record UploadImportResult(Guid? ImportId, UploadRefusal? Refused);

public sealed class UploadImportHandler(IDocumentSession session, ActorContext actors, IClock clock) : ICommandHandler<UploadImportCommand, UploadImportResult>
{
    public const int MaxColumns = 100;
    public const int FileNameMaxLength = 120;

    public async ValueTask<UploadImportResult> Handle(UploadImportCommand command, CancellationToken cancellationToken)
    {
        var importId = Guid.CreateVersion7();
        try
        {
            var (bytes, chunks, encoding, hasNul) = await StoreAsync(importId, command.Content, cancellationToken);
            UploadRefusal? refused = bytes == 0 ? UploadRefusal.Empty : hasNul ? UploadRefusal.NotText : null;
            var (headers, rows, filled) = refused is null ? await CountAsync(importId, chunks, encoding, cancellationToken) : ([], 0, 0);
            refused ??= headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace) ? UploadRefusal.Empty
                : headers.Count > MaxColumns ? UploadRefusal.TooManyColumns
                : filled == 0 ? UploadRefusal.HeaderOnly
                : null;

            if (refused is not null)
            {
                await ForgetAsync(importId, cancellationToken);
                return new UploadImportResult(null, refused);
            }

            session.Store(new ImportRun
            {
                Id = importId,
                FileName = FileNameOf(command.FileName),
                Bytes = bytes,
                Chunks = chunks,
                Encoding = encoding,
                Headers = headers.Select(h => h.Trim()).ToList(),
                RowsTotal = rows,
                UploadedAt = clock.UtcNow,
                UploadedBy = actors.Current.Id,
                Status = ImportStatus.Uploaded,
                Mapping = ImportColumns.Guess(headers),
            });
            await session.SaveChangesAsync(cancellationToken);
            return new UploadImportResult(importId, null);
        }
        catch (CsvFormatException)
        {
            await ForgetAsync(importId, CancellationToken.None);
            return new UploadImportResult(null, UploadRefusal.NotCsv);
        }
        catch (Exception)
        {
            // Nothing half-saved: the chunks written so far go (the run was never stored).
            await ForgetAsync(importId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The name shown in the list and the consent proofs: no folders, nothing invisible, not too long.</summary>
    public static string FileNameOf(string? given)
    {
        var name = Path.GetFileName((given ?? "").Replace('\\', '/'));
        var visible = new string(name.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).ToArray()).Trim();
        visible = visible.Length > FileNameMaxLength ? visible[..FileNameMaxLength] : visible;
        return visible.Length == 0 ? "import.csv" : visible;
    }

    private async Task<(long Bytes, int Chunks, string Encoding, bool HasNul)> StoreAsync(Guid importId, Stream content, CancellationToken cancellationToken)
    {
        var sniffer = new EncodingSniffer();
        var buffer = new byte[ImportChunk.Size];
        long bytes = 0;
        var chunks = 0;
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            sniffer.Add(buffer.AsSpan(0, filled));
            session.Insert(new ImportChunk(ImportChunk.IdOf(importId, chunks), importId, chunks, buffer[..filled]));
            await session.SaveChangesAsync(cancellationToken);
            bytes += filled;
            chunks++;
            if (filled < buffer.Length)
            {
                break;
            }
        }

        sniffer.Complete();
        return (bytes, chunks, sniffer.Encoding, sniffer.HasNul);
    }

    /// <returns>The header, the data rows (what the job's progress counts) and those of them with anything in them.</returns>
    private async Task<(IReadOnlyList<string> Headers, int Rows, int Filled)> CountAsync(Guid importId, int chunks, string encoding, CancellationToken cancellationToken)
    {
        await using var stream = new ImportChunkStream(session, importId, chunks);
        await using var csv = ImportCsv.Open(stream, encoding);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.ToList();
        var rows = 0;
        var filled = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            rows++;
            if (filled == 0 && !ImportCsv.IsBlank(ImportCsv.Cells(csv, headers.Count)))
            {
                filled++;
            }
        }

        return (headers, rows, filled);
    }

    private async Task ForgetAsync(Guid importId, CancellationToken cancellationToken)
    {
        session.DeleteWhere<ImportChunk>(c => c.ImportId == importId);
        await session.SaveChangesAsync(cancellationToken);
    }
}
