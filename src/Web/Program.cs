using CustomerInfo.Application;
using CustomerInfo.Infrastructure;
using CustomerInfo.Web;
using CustomerInfo.Web.Observability;
using CustomerInfo.Web.Security;
using JasperFx;

if (args is [PasswordHashCommand.Name, ..])
{
    return await PasswordHashCommand.RunAsync(Console.In, Console.Out, Console.Error);
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
