using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CustomerInfo.Infrastructure.Persistence;

/// <summary>
/// Marten's own logger writes each statement with its parameter values, which are shoppers' details
/// (event and document JSON), at Debug, and again at Error when the statement fails. Logs that were
/// shipped cannot be erased (ADR 10), so this one writes the statement text only: the placeholders,
/// never the values.
/// </summary>
internal sealed partial class MartenStatementLogger(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(sql);

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    public void LogSuccess(NpgsqlCommand command) => LogExecuted(command.CommandText);

    public void LogSuccess(NpgsqlBatch batch)
    {
        foreach (var command in batch.BatchCommands)
        {
            LogExecuted(command.CommandText);
        }
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailed(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        LogFailed(ex, string.Join(";\n", batch.BatchCommands.Select((NpgsqlBatchCommand c) => c.CommandText)));

    public void LogFailure(Exception ex, string message) => LogFailedOperation(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten changed the schema: {Sql}")]
    private partial void LogSchemaChange(string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marten executed: {Sql}")]
    private partial void LogExecuted(string sql);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten statement failed: {Sql}")]
    private partial void LogFailed(Exception exception, string sql);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten operation failed: {Operation}")]
    private partial void LogFailedOperation(Exception exception, string operation);
}
