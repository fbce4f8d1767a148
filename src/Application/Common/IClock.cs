namespace CustomerInfo.Application.Common;

/// <summary>Use cases read the time from here so tests can fix it.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}
