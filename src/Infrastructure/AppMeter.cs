namespace CustomerInfo.Infrastructure;

/// <summary>The Meter the app's own measurements are published under (exported with Marten's and Npgsql's).</summary>
public static class AppMeter
{
    public const string Name = "CustomerInfo";
}
