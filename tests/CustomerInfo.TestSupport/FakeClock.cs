using CustomerInfo.Application.Common;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerInfo.TestSupport;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeClock : IClock
{
    public DateTimeOffset UtcNow { get; set; } = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public void Advance(TimeSpan by) => UtcNow += by;
}

/// <summary>The app with a <see cref="FakeClock"/> in place of the system's.</summary>
public class ClockedAppFactory : AppFactory
{
    public FakeClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IClock>(Clock);
}
