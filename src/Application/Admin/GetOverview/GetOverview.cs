using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Stores;
using CustomerInfo.Domain.Tenants;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Admin.GetOverview;

/// <summary>The admin's first page: the store's state and the getting-started checklist, from real state.</summary>
[RequiresRole(TeamRole.Staff)]
public sealed record GetOverviewQuery : IQuery<AdminOverview>;

public enum ChecklistStep
{
    ConfirmEmail,
    BrandForm,
    AddStore,
    ConnectCrm,
    OpenKiosk,
}

/// <param name="Available">False when the page for the step does not exist yet: it is shown, not linked.</param>
public sealed record ChecklistItem(ChecklistStep Step, bool Done, bool Available);

public sealed record AdminOverview(Tenant Tenant, bool KioskOpen, bool EmailConfirmed, IReadOnlyList<ChecklistItem> Checklist)
{
    public int DoneCount => Checklist.Count(i => i.Done);
}

public sealed class GetOverviewHandler(ITenantContext tenantContext, IQuerySession session, IClock clock)
    : IQueryHandler<GetOverviewQuery, AdminOverview>
{
    public async ValueTask<AdminOverview> Handle(GetOverviewQuery query, CancellationToken cancellationToken)
    {
        var tenant = tenantContext.RequiredTenant;
        var confirmed = tenant.IsEmailConfirmed;
        var definition = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken);
        var anySignUp = await session.Query<SignUpSummary>().AnyAsync(cancellationToken);
        var anyStore = await session.Query<RetailStore>().AnyAsync(cancellationToken);
        var crm = await session.LoadAsync<Crm.CrmConnection>(Crm.CrmConnection.DocumentId, cancellationToken);
        IReadOnlyList<ChecklistItem> checklist =
        [
            new(ChecklistStep.ConfirmEmail, confirmed, Available: true),
            new(ChecklistStep.BrandForm, definition is not null, Available: true),
            new(ChecklistStep.AddStore, anyStore, Available: true),
            new(ChecklistStep.ConnectCrm, crm is { Active: true }, Available: true),
            new(ChecklistStep.OpenKiosk, anySignUp, Available: true),
        ];
        return new AdminOverview(tenant, tenant.IsKioskOpenAt(clock.UtcNow), confirmed, checklist);
    }
}
