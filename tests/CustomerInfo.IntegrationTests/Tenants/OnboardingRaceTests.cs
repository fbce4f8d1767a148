using CustomerInfo.Application.Tenants.ListTenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.TestSupport;
using FluentValidation;
using Npgsql;

namespace CustomerInfo.IntegrationTests.Tenants;

public class OnboardingRaceTests(AppFactory app) : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const int Contenders = 8;

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Of_parallel_onboardings_of_one_subdomain_one_wins_and_the_others_hear_it_is_taken()
    {
        using var start = new Barrier(Contenders);
        var attempts = Enumerable.Range(0, Contenders).Select(i => Task.Run(async () =>
        {
            start.SignalAndWait();
            try
            {
                return (Won: await app.SendAsync(new OnboardTenantCommand("acme", $"Acme {i}")), Error: (ValidationException?)null);
            }
            catch (ValidationException taken)
            {
                return (Won: (OnboardTenantResult?)null, Error: taken);
            }
        })).ToList();

        var results = await Task.WhenAll(attempts);

        results.Count(r => r.Won is not null).ShouldBe(1);
        results.Where(r => r.Error is not null).ShouldAllBe(r =>
            r.Error!.Errors.Single().PropertyName == "Subdomain" && r.Error.Errors.Single().ErrorMessage == OnboardTenantValidator.Taken);
        var winner = results.Single(r => r.Won is not null).Won!;
        (await app.SendAsync(new ListTenantsQuery())).ShouldHaveSingleItem().Id.ShouldBe(winner.TenantId);
        // Each failed transaction leaves Marten's "tombstone" events (they keep the event sequence free of
        // gaps for the async daemon), never anything of the tenant that lost.
        (await CountAsync("select count(distinct stream_id) from customerinfo.mt_events where type <> 'tombstone'")).ShouldBe(1);
        (await CountAsync("select count(*) from customerinfo.mt_events where type = 'tenant_onboarded'")).ShouldBe(1);
        (await CountAsync($"select count(*) from customerinfo.mt_events where type <> 'tombstone' and stream_id <> '{winner.TenantId}'")).ShouldBe(0);
    }

    [Fact]
    public void Only_the_unique_violation_of_the_identifier_reads_as_taken()
    {
        OnboardTenantHandler.IsIdentifierTaken(new InvalidOperationException("wrapped", Violation("mt_doc_tenant_uidx_identifier"))).ShouldBeTrue();
        OnboardTenantHandler.IsIdentifierTaken(Violation("mt_doc_tenant_pkey")).ShouldBeFalse();
        OnboardTenantHandler.IsIdentifierTaken(new InvalidOperationException("something else")).ShouldBeFalse();
    }

    private static PostgresException Violation(string constraint) =>
        new($"duplicate key value violates unique constraint \"{constraint}\"", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation, constraintName: constraint);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
