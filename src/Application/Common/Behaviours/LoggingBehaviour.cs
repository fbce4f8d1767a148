using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Application.Common.Behaviours;

/// <summary>
/// Logs each message by its type name and how long it took. Never logs the message itself:
/// commands carry shoppers' personal data.
/// </summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly string MessageType = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogHandled(MessageType, elapsed);
            return response;
        }
        catch (FluentValidation.ValidationException)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRejected(MessageType, elapsed);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away (a closed browser, a dropped connection): not a failure of ours.
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogAbandoned(MessageType, elapsed);
            throw;
        }
        catch (Exception exception)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFailed(exception, MessageType, elapsed);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {MessageType} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string messageType, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {MessageType} as invalid in {ElapsedMs:0.0} ms")]
    private partial void LogRejected(string messageType, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped {MessageType} after {ElapsedMs:0.0} ms: the caller went away")]
    private partial void LogAbandoned(string messageType, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Failed {MessageType} after {ElapsedMs:0.0} ms")]
    private partial void LogFailed(Exception exception, string messageType, double elapsedMs);
}
