using CustomerInfo.Application.Common;

namespace CustomerInfo.Infrastructure;

internal sealed class SystemClock(TimeProvider time) : IClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
