using System.Security.Cryptography;
using System.Text;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Jobs;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Shoppers;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Import.RunImport;

/// <summary>
/// The import job (ADR 18): streams the stored file, reads each row by the kiosk's rules, and
/// commits a batch of <see cref="RunImportHandler.BatchSize"/> rows at a time: their sign-ups
/// (source "import"), the contact keys they claim and the run's progress, in one transaction. A
/// worker that stops mid-file resumes after the last committed batch, so nothing is created twice.
/// Ids only: no personal data in a job's arguments.
/// </summary>
public sealed record RunImportCommand(Guid TenantId, Guid ImportId) : ITenantJobCommand;

public sealed class RunImportHandler(IDocumentSession session, ITenantContext tenant, FormDefinitions definitions, ContactIndexKeys indexKeys, IClock clock)
    : ICommandHandler<RunImportCommand>
{
    public const int BatchSize = 500;

    /// <summary>Where the proof says consent was recorded: not a store, the import.</summary>
    public const string ProofLocation = "import";

    public async ValueTask<Unit> Handle(RunImportCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ImportRun>(command.ImportId, cancellationToken) is not { Status: ImportStatus.Running } run)
        {
            // Unknown, not started, or already finished: nothing to do (a repeated job ends here).
            return Unit.Value;
        }

        var definition = await definitions.CurrentAsync(tenant.RequiredTenant, cancellationToken);
        var stores = await session.Query<RetailStore>().ToListAsync(cancellationToken);
        var storesByName = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var store in stores.OrderBy(s => s.IsActive ? 0 : 1).ThenBy(s => s.AddedAt))
        {
            storesByName.TryAdd(store.Name.Trim(), store.Id);
        }

        var context = new ImportRowContext(definition.Country, storesByName, TenantTimeZone.ZoneOf(stores), clock.UtcNow);
        var writer = new BatchWriter(session, indexKeys.For, Guid.Parse(session.TenantId), definition, run.StartedAt ?? clock.UtcNow, clock);

        var batch = new List<(int Row, ImportRowResult Result)>(BatchSize);
        await using (var stream = new ImportChunkStream(session, run.Id, run.Chunks))
        await using (var csv = ImportCsv.Open(stream, run.Encoding))
        {
            await csv.ReadHeaderAsync(cancellationToken);
            var columns = run.Headers.Count;
            var dataRow = 0;
            while (await csv.ReadAsync(cancellationToken))
            {
                dataRow++;
                if (dataRow <= run.RowsDone)
                {
                    continue;
                }

                var cells = ImportCsv.Cells(csv, columns);
                batch.Add((dataRow, ImportCsv.IsBlank(cells) ? Blank : ImportRows.Read(cells, run.Mapping, context)));
                if (batch.Count == BatchSize)
                {
                    run = await writer.CommitAsync(run, batch, finished: false, cancellationToken);
                    batch.Clear();
                }
            }
        }

        await writer.CommitAsync(run, batch, finished: true, cancellationToken);
        return Unit.Value;
    }

    private static readonly ImportRowResult Blank = new(null, []);

    /// <summary>A sign-up id that is the same whenever the same row of the same import is written: a batch written twice collides instead of doubling.</summary>
    public static Guid SignUpIdOf(Guid importId, int row)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"import:{importId:N}:{row}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>What an imported consent's proof says, for a regulator reading it later: where it came from, when, and that the wording is unknown.</summary>
    public static string ProofText(string fileName, DateTimeOffset importedAt, DateTimeOffset givenAt) =>
        $"Imported from {fileName} on {importedAt:yyyy-MM-dd}: consent given on {givenAt:yyyy-MM-dd}, wording not recorded";

    private sealed class BatchWriter(IDocumentSession session, Func<Guid, Shopper, IReadOnlyList<string>> keysOf, Guid storeId, FormDefinition definition, DateTimeOffset importedAt, IClock clock)
    {
        public async Task<ImportRun> CommitAsync(ImportRun run, List<(int Row, ImportRowResult Result)> batch, bool finished, CancellationToken cancellationToken)
        {
            var keys = batch.Where(b => b.Result.Row is not null).Select(b => (b.Row, Keys: keysOf(storeId, b.Result.Row!.Shopper))).ToDictionary(b => b.Row, b => b.Keys);
            var all = keys.Values.SelectMany(k => k).Distinct().ToArray();
            var known = new HashSet<string>(StringComparer.Ordinal);
            if (all.Length > 0)
            {
                known.UnionWith((await session.LoadManyAsync<ContactIndexEntry>(cancellationToken, all)).Select(e => e.Id));
                known.UnionWith((await session.LoadManyAsync<ImportedContactKey>(cancellationToken, all)).Select(e => e.Id));
            }

            var receivedAt = clock.UtcNow;
            var errors = run.Errors.ToList();
            int imported = 0, alreadyThere = 0, empty = 0, errorCount = 0;
            foreach (var (row, result) in batch)
            {
                if (result.Row is { } good)
                {
                    var rowKeys = keys[row];
                    if (rowKeys.Any(known.Contains))
                    {
                        alreadyThere++;
                        continue;
                    }

                    var signUpId = SignUpIdOf(run.Id, row + 1);
                    session.Events.StartStream(signUpId, SignUpOf(run, signUpId, good, receivedAt));
                    foreach (var key in rowKeys)
                    {
                        session.Insert(new ImportedContactKey(key, signUpId, run.Id));
                        known.Add(key);
                    }

                    imported++;
                }
                else if (result.Problems.Count == 0)
                {
                    empty++;
                }
                else
                {
                    errorCount++;
                    foreach (var (field, problem) in result.Problems)
                    {
                        if (errors.Count < ImportRun.MaxStoredErrors)
                        {
                            errors.Add(new ImportRowError(row + 1, field, problem));
                        }
                    }
                }
            }

            var next = run with
            {
                RowsDone = batch.Count > 0 ? batch[^1].Row : run.RowsDone,
                Imported = run.Imported + imported,
                AlreadyThere = run.AlreadyThere + alreadyThere,
                EmptyRows = run.EmptyRows + empty,
                ErrorCount = run.ErrorCount + errorCount,
                Errors = errors,
            };
            if (finished)
            {
                next = next with { Status = ImportStatus.Completed, CompletedAt = clock.UtcNow, RowsDone = Math.Max(next.RowsDone, run.RowsTotal) };

                // The file was only needed for this: the shoppers' details now live where ADR 10 says they may.
                session.DeleteWhere<ImportChunk>(c => c.ImportId == run.Id);
            }

            session.Store(next);
            await session.SaveChangesAsync(cancellationToken);
            return next;
        }

        private SignUpSubmitted SignUpOf(ImportRun run, Guid signUpId, ImportRow row, DateTimeOffset receivedAt)
        {
            var language = definition.DefaultLanguage;
            ConsentProof? Proof(ConsentChannel channel, DateTimeOffset? givenAt)
            {
                if (givenAt is not { } given)
                {
                    return null;
                }

                var text = ProofText(run.FileName, importedAt, given);
                return new ConsentProof(channel, text, ConsentText.VersionOf(text), language, given, ProofLocation);
            }

            return new SignUpSubmitted(
                signUpId,
                definition.Version,
                language,
                null,
                row.SignedUpAt ?? receivedAt,
                receivedAt,
                row.Shopper,
                [],
                Proof(ConsentChannel.Email, row.EmailConsentGivenAt),
                Proof(ConsentChannel.Sms, row.SmsConsentGivenAt),
                row.StoreId,
                null,
                SignUpSource.Import,
                run.Id,
                PushToCrm: run.SendToCrm);
        }
    }
}
