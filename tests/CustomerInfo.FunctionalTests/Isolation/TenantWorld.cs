using System.Text;
using CustomerInfo.Application.Brand;
using CustomerInfo.Application.Contacts.LinkSignUpToContact;
using CustomerInfo.Application.Crm.Connection;
using CustomerInfo.Application.Import.UploadImport;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.SignUps.SubmitSignUp;
using CustomerInfo.Application.Team.InviteMember;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Infrastructure.Crm.Webhook;
using CustomerInfo.TestSupport;
using CustomerInfo.TestSupport.Crm;
using Npgsql;

namespace CustomerInfo.FunctionalTests.Isolation;

/// <summary>A real id of each kind a store owns, and the words only that store's data holds.</summary>
public sealed record TenantIds(
    string Identifier, string Host, Guid TenantId, Guid Store, Guid KioskLink, string KioskToken, Guid SignUp, Guid Contact,
    Guid Import, Guid Member, string OwnerEmail, Guid Invitation, string Logo, IReadOnlyList<string> Words)
{
    public string Of(IdKind kind) => kind switch
    {
        IdKind.Store => Store.ToString(),
        IdKind.KioskLink => KioskLink.ToString(),
        IdKind.KioskToken => KioskToken,
        IdKind.SignUp => SignUp.ToString(),
        IdKind.Contact => Contact.ToString(),
        IdKind.Import => Import.ToString(),
        IdKind.Member => Member.ToString(),
        IdKind.Invitation => Invitation.ToString(),
        IdKind.Logo => Logo,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A value of the kind that no store has: what "not found" looks like for it.</summary>
    public static string Unknown(IdKind kind) => kind switch
    {
        IdKind.KioskToken => KioskLinks.NewToken(),
        IdKind.Logo => new string('0', 40),
        _ => Guid.NewGuid().ToString(),
    };

    /// <summary>What of this store a response must not show, besides what the request itself carried.</summary>
    public IEnumerable<string> Secrets(string request) =>
        Words.Concat([Store.ToString(), KioskLink.ToString(), KioskToken, SignUp.ToString(), Contact.ToString(), Import.ToString(), Member.ToString(), Invitation.ToString(), Logo])
            .Where(w => !request.Contains(w, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Two retailers with real data of every kind: Alpha (tenant A, the victim) and Bravo (tenant B, the
/// one who tries). Each has a store with a kiosk link, a linked sign-up and its contact, an import, a
/// logo, a CRM connection to a webhook receiver of its own, an Owner, a Staff member and an invitation.
/// </summary>
public class IsolationApp : AppFactory
{
    /// <summary>The app's PostgreSQL schema (MartenConfiguration.SchemaName).</summary>
    private const string Schema = "customerinfo";

    public TenantIds A { get; private set; } = null!;
    public TenantIds B { get; private set; } = null!;

    public FakeWebhookReceiver CrmOfA { get; private set; } = null!;
    public FakeWebhookReceiver CrmOfB { get; private set; } = null!;

    private string? digestSql;
    private HttpClient? ownerOfB;
    private HttpClient? platformOwner;

    /// <summary>A webhook secret, so the Stripe endpoint checks signatures instead of answering "not configured".</summary>
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Stripe:WebhookSecret", "whsec_isolation_suite_only")];

    /// <summary>B's Owner, signed in once per app on B's host (signing in per test would meet the sign-in rate limit).</summary>
    public async Task<HttpClient> OwnerOfBAsync()
    {
        if (ownerOfB is null)
        {
            ownerOfB = ClientFor(B.Host);
            await Members.SignedInAsync(ownerOfB, B.OwnerEmail);
        }

        return ownerOfB;
    }

    /// <summary>The platform owner, signed in once per app on the apex.</summary>
    public async Task<HttpClient> PlatformOwnerAsync()
    {
        if (platformOwner is null)
        {
            platformOwner = ClientFor("localhost");
            await Forms.SignInOwnerAsync(platformOwner);
        }

        return platformOwner;
    }

    /// <summary>The last exception the app logged, to say why a request answered 5xx.</summary>
    public string LastException() =>
        Logs.Lines.LastOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) is { } line ? line[..Math.Min(line.Length, 600)] : "(none logged)";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        CrmOfA = await FakeWebhookReceiver.StartNewAsync();
        CrmOfB = await FakeWebhookReceiver.StartNewAsync();
        A = await SeedAsync("alpha", "Alphonsine Shoes", "Aurelianne", "aurelianne@alpha-mail.test", CrmOfA, 600);
        B = await SeedAsync("bravo", "Bertrandine Books", "Bertilde", "bertilde@bravo-mail.test", CrmOfB, 640);
    }

    public override async ValueTask DisposeAsync()
    {
        ownerOfB?.Dispose();
        platformOwner?.Dispose();
        // The app first, its CRM receivers after: work still under way at the end must not meet a receiver already gone.
        await base.DisposeAsync();
        if (CrmOfA is not null)
        {
            await CrmOfA.DisposeAsync();
            await CrmOfB.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<TenantIds> SeedAsync(string identifier, string name, string shopper, string email, FakeWebhookReceiver crm, int logoWidth)
    {
        var tenantId = await AddStoreAsync(identifier, name);
        await this.SendAsync(identifier, new PublishFormDefinitionCommand(FormDefinition.StarterFor(name) with
        {
            Fields = [new(BuiltInField.FirstName, FieldRequirement.Required), new(BuiltInField.Email, FieldRequirement.Optional)],
        }));
        var link = await this.AddKioskLinkAsync(tenantId, name + " Centrum");
        var signUp = await this.SendAsync(identifier, new SubmitSignUpCommand { SubmissionId = Guid.NewGuid(), FirstName = shopper, Email = email, EmailConsent = true });
        var contact = (await this.SendAsync(identifier, new LinkSignUpToContactCommand(signUp.SignUpId))).ContactId!.Value;
        var upload = await this.SendAsync(identifier, new UploadImportCommand($"{identifier}-klanten.csv", new MemoryStream(Encoding.UTF8.GetBytes($"Voornaam;E-mail\n{shopper}x;x{email}\n"))));
        var branding = await this.SendAsync(identifier, new GetBrandingQuery());
        (await this.SendAsync(identifier, new UploadLogoCommand(TestImages.Png(logoWidth), branding.Version))).ShouldNotBeNull();
        var logo = (await this.SendAsync(identifier, new GetBrandingQuery())).Logo!.Fingerprint;
        (await this.SendAsync(identifier, new ConnectCrmCommand(WebhookConnector.Kind, new Dictionary<string, string?> { [WebhookConnector.UrlSetting] = crm.Url }))).ShouldNotBeNull();
        var owner = await this.AddMemberAsync(identifier, $"owner@{identifier}-team.test", TeamRole.Owner);
        await this.AddMemberAsync(identifier, $"staff@{identifier}-team.test", TeamRole.Staff);
        var invitation = await this.SendAsync(identifier, new InviteMemberCommand($"invited@{identifier}-team.test", TeamRole.Manager));
        return new TenantIds(
            identifier, identifier + ".localhost", tenantId, link.StoreId, link.LinkId, link.Token, signUp.SignUpId, contact,
            upload.ImportId!.Value, owner.Id, owner.Email, invitation.InvitationId, logo,
            [name, shopper, email, $"{identifier}-klanten.csv", name + " Centrum", $"staff@{identifier}-team.test", $"invited@{identifier}-team.test", tenantId.ToString()]);
    }

    /// <summary>
    /// A digest of every row the tenant owns, in every table with a tenant column (documents and events):
    /// equal digests, nothing of the tenant was written. <paramref name="except"/>: tables left out (sessions).
    /// </summary>
    public async Task<string> DataOfAsync(Guid tenantId, params string[] except)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        digestSql ??= await DigestSqlAsync(connection);
        var sql = digestSql;
        foreach (var table in except)
        {
            sql = sql.Replace($"select '{table}' ||", "select null ||", StringComparison.Ordinal);
        }

        await using var digest = new NpgsqlCommand(sql, connection);
        digest.Parameters.AddWithValue("tenant", tenantId.ToString());
        var rows = new List<string>();
        await using (var reader = await digest.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                if (!reader.IsDBNull(0))
                {
                    rows.Add(reader.GetString(0));
                }
            }
        }

        return string.Join('\n', rows.Order(StringComparer.Ordinal));
    }

    private static async Task<string> DigestSqlAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.columns where table_schema = @schema and column_name = 'tenant_id' order by table_name", connection))
        {
            list.Parameters.AddWithValue("schema", Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        return string.Join(" union all ", tables.Select(t =>
            $"select '{t}' || ':' || count(*) || ':' || coalesce(md5(string_agg(md5(x::text), ',' order by md5(x::text))), '') from {Schema}.{t} x where tenant_id = @tenant"));
    }

    /// <summary>The tables of the member sessions, which a signed-in request may renew (sliding expiry).</summary>
    public const string SessionTable = "mt_doc_serversession";

    /// <summary>The lines of two digests that differ, to name what changed.</summary>
    public static string Changed(string before, string after) =>
        string.Join(", ", after.Split('\n').Except(before.Split('\n')).Select(l => l.Split(':')[0]));
}
