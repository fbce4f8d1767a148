namespace CustomerInfo.Application.Import;

/// <summary>
/// One uploaded customer list and its import (ADR 18): the file's facts as the upload found them,
/// the column mapping the Manager chose, and the job's progress, committed with each batch of
/// sign-ups so a restarted worker resumes after <see cref="RowsDone"/>. No shopper's details are
/// kept here: the errors name a row, a field and a reason, never a value.
/// </summary>
public sealed record ImportRun
{
    /// <summary>Errors kept row by row; past this only <see cref="ErrorCount"/> grows.</summary>
    public const int MaxStoredErrors = 1000;

    public Guid Id { get; init; }

    public string FileName { get; init; } = "";

    public long Bytes { get; init; }

    /// <summary>How many <see cref="ImportChunk"/>s hold the file (deleted once the import is done).</summary>
    public int Chunks { get; init; }

    /// <summary>The encoding the upload found: <c>utf-8</c>, <c>utf-16</c> (a byte order mark) or <c>windows-1252</c>.</summary>
    public string Encoding { get; init; } = ImportEncodings.Utf8;

    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>Data rows (the header not counted), counted by reading the whole file once at upload.</summary>
    public int RowsTotal { get; init; }

    public DateTimeOffset UploadedAt { get; init; }

    /// <summary>The actor id of the Manager who uploaded (never a name or an address).</summary>
    public string UploadedBy { get; init; } = "";

    public ImportStatus Status { get; init; }

    /// <summary>For each column of the file, in order, what it is imported as.</summary>
    public IReadOnlyList<ImportField> Mapping { get; init; } = [];

    /// <summary>The Manager's "also send these to my CRM"; off unless ticked. The CRM push reads it.</summary>
    public bool SendToCrm { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Data rows whose outcome is committed: a restarted job goes on with the row after them.</summary>
    public int RowsDone { get; init; }

    public int Imported { get; init; }

    /// <summary>Rows of a shopper the store already has (a contact, an earlier import, an earlier row of this file).</summary>
    public int AlreadyThere { get; init; }

    /// <summary>Rows with nothing in them, passed over.</summary>
    public int EmptyRows { get; init; }

    public int ErrorCount { get; init; }

    /// <summary>The first <see cref="MaxStoredErrors"/> errors, in row order.</summary>
    public IReadOnlyList<ImportRowError> Errors { get; init; } = [];

    public bool IsFinished => Status == ImportStatus.Completed;
}

public enum ImportStatus
{
    /// <summary>Stored and counted; waiting for the Manager to map the columns and start.</summary>
    Uploaded,

    /// <summary>Started: the job is queued or running.</summary>
    Running,

    Completed,

    /// <summary>Not started within <see cref="ExpireUnstartedImports.ExpireUploads.KeptFor"/>: its file, the one copy of its rows, was deleted.</summary>
    Expired,
}

/// <summary>One bad row: its number as the spreadsheet shows it (the header is row 1), the field and why.</summary>
public sealed record ImportRowError(int Row, ImportField Field, ImportProblem Problem);

/// <summary>What a column of the file is imported as.</summary>
public enum ImportField
{
    Ignore,
    FirstName,
    LastName,
    Email,
    Phone,
    Birthday,
    PostalCode,
    EmailConsent,
    EmailConsentDate,
    SmsConsent,
    SmsConsentDate,
    SignedUpAt,
    Store,
}

/// <summary>Why a row was not imported. The pages word each one in the admin's language.</summary>
public enum ImportProblem
{
    NameTooLong,
    NameUnprintable,
    EmailInvalid,
    PhoneInvalid,
    BirthdayInvalid,
    PostalCodeInvalid,
    ConsentValueInvalid,
    ConsentDateMissing,
    ConsentDateInvalid,
    ConsentNeedsEmail,
    ConsentNeedsPhone,
    SignedUpAtInvalid,
    StoreUnknown,
    NoEmailOrPhone,
}

/// <summary>
/// A 256 KB piece of an uploaded file, in PostgreSQL: web pods have a read-only file system and the
/// job runs in the worker, another process. Neither the upload nor the job holds more than one.
/// </summary>
public sealed record ImportChunk(string Id, Guid ImportId, int Index, byte[] Data)
{
    public const int Size = 256 * 1024;

    public static string IdOf(Guid importId, int index) => $"{importId:N}/{index:D6}";
}

/// <summary>
/// An imported shopper's contact-index id (the keyed hash of ADR 10, never the address), written in
/// the transaction of its batch: the contact index itself is filled moments later by the linking
/// subscription, so without this a second import (or a later row) in between would import the same
/// shopper again. Erasure deletes it with the shopper.
/// </summary>
public sealed record ImportedContactKey(string Id, Guid SignUpId, Guid ImportId);

public static class ImportEncodings
{
    public const string Utf8 = "utf-8";
    public const string Utf16 = "utf-16";
    public const string Windows1252 = "windows-1252";
}
