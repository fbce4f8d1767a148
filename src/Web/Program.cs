using CustomerInfo.Application;
using CustomerInfo.Application.Owner.SignInOwner;
using CustomerInfo.Infrastructure;
using CustomerInfo.Web;
using CustomerInfo.Web.Observability;
using JasperFx;

if (args is ["hash-password", ..])
{
    // Makes the Owner:PasswordHash value for production: the password comes on standard input.
    var password = Console.In.ReadLine();
    if (string.IsNullOrEmpty(password))
    {
        await Console.Error.WriteLineAsync("Type the password on standard input.");
        return 2;
    }

    Console.WriteLine(OwnerPasswords.Hash(password));
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
if (!builder.Environment.IsDevelopment())
{
    builder.Logging.ClearProviders().AddJsonLogs();
}

builder.Services
    .AddApplication(builder.Configuration)
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddWeb(builder.Configuration, builder.Environment);

var app = builder.Build();
app.UseWeb();

// Runs the app, or a JasperFx command such as 'resources setup' (the migration step before a rollout).
return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
