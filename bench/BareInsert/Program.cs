using Npgsql;

// The yardsticks of bench/run.sh, closest to the machine's limit:
//   GET  /         a fixed string from bare Kestrel, the yardstick of the form GET;
//   POST /         one parameterised INSERT of the fields a sign-up carries;
//   POST /minimal  one INSERT of a minimal row (id, tenant, name, email), the yardstick of the sign-up POST.
// No tenant, antiforgery, validation or events. Not part of the product.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration.GetConnectionString("Postgres")
    ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.");
var dataSource = NpgsqlDataSource.Create(connectionString);
await using (var create = dataSource.CreateCommand(
    "create table if not exists bench_bare_signup (id uuid primary key, first_name text, last_name text, email text, phone text, email_consent boolean, received_at timestamptz not null);"
    + "create table if not exists bench_minimal_signup (id uuid primary key, tenant text not null, name text, email text)"))
{
    await create.ExecuteNonQueryAsync();
}

var app = builder.Build();
app.MapPost("/", async (HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    await using var insert = dataSource.CreateCommand(
        "insert into bench_bare_signup (id, first_name, last_name, email, phone, email_consent, received_at) values ($1, $2, $3, $4, $5, $6, $7)");
    insert.Parameters.Add(new NpgsqlParameter { Value = Guid.TryParse(form["Command.SubmissionId"], out var id) ? id : Guid.NewGuid() });
    insert.Parameters.Add(new NpgsqlParameter { Value = (object?)form["Command.FirstName"].ToString() ?? DBNull.Value });
    insert.Parameters.Add(new NpgsqlParameter { Value = (object?)form["Command.LastName"].ToString() ?? DBNull.Value });
    insert.Parameters.Add(new NpgsqlParameter { Value = (object?)form["Command.Email"].ToString() ?? DBNull.Value });
    insert.Parameters.Add(new NpgsqlParameter { Value = (object?)form["Command.Phone"].ToString() ?? DBNull.Value });
    insert.Parameters.Add(new NpgsqlParameter { Value = form["Command.EmailConsent"] == "true" });
    insert.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
    await insert.ExecuteNonQueryAsync();
    return Results.Redirect("/thanks", permanent: false);
});
app.MapPost("/minimal", async (HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    await using var insert = dataSource.CreateCommand("insert into bench_minimal_signup (id, tenant, name, email) values ($1, $2, $3, $4)");
    insert.Parameters.Add(new NpgsqlParameter { Value = Guid.TryParse(form["Command.SubmissionId"], out var id) ? id : Guid.NewGuid() });
    insert.Parameters.Add(new NpgsqlParameter { Value = request.Host.Host });
    insert.Parameters.Add(new NpgsqlParameter { Value = form["Command.FirstName"].ToString() });
    insert.Parameters.Add(new NpgsqlParameter { Value = form["Command.Email"].ToString() });
    await insert.ExecuteNonQueryAsync();
    return Results.Redirect("/thanks", permanent: false);
});
app.MapGet("/", () => Results.Text("bare"));
app.Run();
