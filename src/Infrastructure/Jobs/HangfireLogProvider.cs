using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace CustomerInfo.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide (a static), so with several apps in one process (the
/// tests) it writes to whichever app configured Hangfire last; once that app is disposed, its
/// logger factory throws, and the throw stopped the other apps' job servers. This provider drops
/// those lines instead. One app per process (production) logs as before.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name) => new SafeLog(inner, name);

    private sealed class SafeLog(AspNetCoreLogProvider provider, string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return provider.GetLogger(name).Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
