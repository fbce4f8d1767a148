using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Stores;
using CustomerInfo.Application.Stores.AddStore;
using CustomerInfo.Application.Stores.IssueKioskLink;
using CustomerInfo.Application.Stores.ListStores;
using CustomerInfo.Application.Stores.SetStoreStaffPin;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Application.Tenants.OnboardTenant;
using CustomerInfo.Application.Tenants.SetStaffPin;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using CustomerInfo.Infrastructure.Jobs;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Web.Seeding;

/// <summary>
/// In Development, a database without tenants gets the demo store, so a fresh checkout has
/// something to show at http://demo.localhost:8080. The demo store's staff PIN is
/// <c>Seed:StaffPin</c> (./build.sh run makes one and prints it), set on every start so the
/// printed PIN is always the one that works. The demo's two shops are stores, each with its own
/// staff PIN (the same printed one) and a kiosk link; <c>Seed:DemoKioskTokens</c> (two tokens,
/// comma-separated, made and printed by ./build.sh run) are their links' tokens, so the printed
/// links always work.
/// </summary>
public sealed partial class DevelopmentSeed(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DevelopmentSeed> logger) : IHostedService
{
    public const string DemoIdentifier = "demo";
    public const string StaffPinKey = "Seed:StaffPin";
    public const string OwnerEmailKey = "Seed:DemoOwnerEmail";
    public const string OwnerPasswordKey = "Seed:DemoOwnerPassword";
    public const string DefaultOwnerEmail = "owner@demo.localhost";
    public const string KioskTokensKey = "Seed:DemoKioskTokens";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SeedDemoStoreAsync(cancellationToken);
        if (configuration[StaffPinKey] is { Length: > 0 } pin)
        {
            await SetDemoPinAsync(pin, cancellationToken);
        }

        await SeedDemoShopsAsync(configuration[StaffPinKey], (configuration[KioskTokensKey] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), cancellationToken);

        if (configuration[OwnerPasswordKey] is { Length: > 0 } password)
        {
            await SetDemoOwnerAsync(configuration[OwnerEmailKey] is { Length: > 0 } email ? email : DefaultOwnerEmail, password, cancellationToken);
        }
    }

    /// <summary>
    /// The demo store's Owner, with the password ./build.sh run printed: made when missing, its
    /// password set again when it differs, so the printed sign-in always works.
    /// </summary>
    private async Task SetDemoOwnerAsync(string email, string password, CancellationToken cancellationToken)
    {
        if (Application.Accounts.PasswordPolicy.Problem(password) is not null)
        {
            LogOwnerPasswordRefused(OwnerPasswordKey);
            return;
        }

        await using var lookup = scopes.CreateAsyncScope();
        var demo = await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(DemoIdentifier, cancellationToken);
        if (demo is null)
        {
            return;
        }

        await using var scope = WorkScope.Enter(scopes, Actor.System("development-seed"), demo);
        var members = scope.ServiceProvider.GetRequiredService<Application.Accounts.NewMembers>();
        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        var normalized = members.Normalize(email);
        var owner = await session.Query<TeamMember>().FirstOrDefaultAsync(m => m.NormalizedEmail == normalized, cancellationToken);
        var hasher = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<TeamMember>>();
        if (owner is null)
        {
            owner = members.Create(email, password, TeamRole.Owner, "en", emailConfirmed: true);
            session.Insert(owner);
            session.Events.StartStream(owner.Id, new MemberJoined(owner.Id, TeamRole.Owner, null, owner.JoinedAt));
        }
        else if (owner.PasswordHash is null || hasher.VerifyHashedPassword(owner, owner.PasswordHash, password) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
        {
            owner.PasswordHash = hasher.HashPassword(owner, password);
            owner.SecurityStamp = Application.Accounts.NewMembers.NewStamp();
            owner.AccessFailedCount = 0;
            owner.LockoutEnd = null;
            session.Update(owner);
        }
        else
        {
            return;
        }

        await session.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The demo's shops as stores, added when the demo has none; each gets the printed token's kiosk
    /// link (or any link, without one) and the printed PIN as its own.
    /// </summary>
    private async Task SeedDemoShopsAsync(string? pin, string[] tokens, CancellationToken cancellationToken)
    {
        await using var lookup = scopes.CreateAsyncScope();
        var demo = await lookup.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(DemoIdentifier, cancellationToken);
        if (demo is null)
        {
            return;
        }

        await using var scope = WorkScope.Enter(scopes, Actor.Member(demo.Id, Guid.Empty, TeamRole.Owner), demo);
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var stores = await sender.Send(new ListStoresQuery(), cancellationToken);
        if (stores.Count == 0)
        {
            foreach (var (name, address) in DemoForm.Stores)
            {
                await sender.Send(new AddStoreCommand(name, StoreTimeZones.Default, address), cancellationToken);
            }

            stores = await sender.Send(new ListStoresQuery(), cancellationToken);
            LogShopsSeeded(DemoForm.Stores.Count);
        }

        var session = scope.ServiceProvider.GetRequiredService<IDocumentSession>();
        var pins = scope.ServiceProvider.GetRequiredService<IStaffPins>();
        for (var i = 0; i < DemoForm.Stores.Count; i++)
        {
            if (stores.FirstOrDefault(s => s.Name == DemoForm.Stores[i].Name && s.IsActive) is not { } shop
                || await session.LoadAsync<RetailStore>(shop.Id, cancellationToken) is not { } store)
            {
                continue;
            }

            if (i < tokens.Length && KioskTokens.IsWellFormed(tokens[i]))
            {
                await EnsureLinkAsync(session, scope.ServiceProvider.GetRequiredService<ITenantChanges>(), demo.Id, store, tokens[i], cancellationToken);
            }
            else if (shop.LiveLinks == 0)
            {
                await sender.Send(new IssueKioskLinkCommand(shop.Id), cancellationToken);
            }

            if (pin is { Length: > 0 } && (store.StaffPinSetAt is null || await pins.FindForStoreAsync(demo.Id, shop.Id, cancellationToken) is not { } current || !current.Matches(pin)))
            {
                try
                {
                    await sender.Send(new SetStoreStaffPinCommand(shop.Id, pin), cancellationToken);
                }
                catch (ValidationException)
                {
                    // Refused already for the tenant-wide PIN, and logged there.
                }
            }
        }
    }

    /// <summary>The printed token's link, issued with that token unless the store has it already.</summary>
    private static async Task EnsureLinkAsync(IDocumentSession session, ITenantChanges changes, Guid tenantId, RetailStore store, string token, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<KioskLink>(token, cancellationToken) is not null
            || StoreDecisions.Issue(store, Guid.NewGuid(), null, token, DateTimeOffset.UtcNow) is not { } issued)
        {
            return;
        }

        session.Events.Append(store.Id, issued);
        changes.Announce(session, tenantId);
        await session.SaveChangesAsync(cancellationToken);
    }

    private async Task SeedDemoStoreAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            if (await session.Query<Tenant>().AnyAsync(cancellationToken))
            {
                return;
            }
        }

        scope.ServiceProvider.GetRequiredService<ActorContext>().Set(Actor.PlatformOwner());
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        // Without a trial, by the platform owner (so confirmed): active and open, like a version-1 retailer.
        await sender.Send(new OnboardTenantCommand(DemoIdentifier, "Demo Store", NoTrial: true), cancellationToken);
        var tenants = scope.ServiceProvider.GetRequiredService<ITenantStore>();
        tenants.Forget(DemoIdentifier);

        // The form is the store's own: its Owner publishes it, in a scope that belongs to the demo store.
        var demoTenant = (await tenants.FindByIdentifierAsync(DemoIdentifier, cancellationToken))!;
        await using var storeScope = WorkScope.Enter(scopes, Actor.Member(demoTenant.Id, Guid.Empty, TeamRole.Owner), demoTenant);
        await storeScope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishFormDefinitionCommand(DemoForm.Definition), cancellationToken);
        LogSeeded(DemoIdentifier);
    }

    private async Task SetDemoPinAsync(string pin, CancellationToken cancellationToken)
    {
        await using var scope = WorkScope.Enter(scopes, Actor.PlatformOwner());
        var demo = await scope.ServiceProvider.GetRequiredService<ITenantStore>().FindByIdentifierAsync(DemoIdentifier, cancellationToken);
        if (demo is null || await scope.ServiceProvider.GetRequiredService<IStaffPins>().FindAsync(demo.Id, cancellationToken) is { } current && current.Matches(pin))
        {
            return;
        }

        try
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SetStaffPinCommand(demo.Id, pin), cancellationToken);
        }
        catch (ValidationException)
        {
            // A developer's own choice of PIN that the rules refuse: the app still starts, without one.
            LogPinRefused(StaffPinKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key} is not an accepted password (at least 10 characters, not a common one): the demo store has no Owner account")]
    private partial void LogOwnerPasswordRefused(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo store '{Identifier}'")]
    private partial void LogSeeded(string identifier);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo's {Count} stores")]
    private partial void LogShopsSeeded(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key} is not an accepted staff PIN (4 to 8 digits, not easy to guess): the demo store has no PIN")]
    private partial void LogPinRefused(string key);
}
