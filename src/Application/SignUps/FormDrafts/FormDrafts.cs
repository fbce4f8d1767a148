using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.FormDrafts;

/// <summary>
/// A Manager's unpublished changes to the form, kept server-side (one per tenant), so the preview can
/// show them and a reload or a publish conflict loses nothing. <see cref="BasedOnVersion"/> is the
/// published version the editor started from (0: the store never published).
/// </summary>
public sealed record FormDraft(FormDefinition Definition, int BasedOnVersion, string SavedBy, DateTimeOffset SavedAt)
{
    public const string DraftId = "draft";

    public string Id { get; init; } = DraftId;
}

/// <summary>What the form builder starts from: the published form (version 0 when there is none yet: the starter form) and the draft, if any.</summary>
public sealed record FormBuilderState(FormDefinition Published, FormDraft? Draft)
{
    /// <summary>The definition the editor shows: the draft, else the published form.</summary>
    public FormDefinition Editing => Draft?.Definition ?? Published;

    public int BasedOnVersion => Draft?.BasedOnVersion ?? Published.Version;

    /// <summary>Someone published after this draft was started: publishing it needs a choice.</summary>
    public bool DraftIsBehind => Draft is not null && Draft.BasedOnVersion != Published.Version;
}

/// <summary>The published form and the draft of this tenant.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record GetFormBuilderQuery : IQuery<FormBuilderState>;

/// <summary>Keeps <see cref="Definition"/> as the tenant's draft, replacing the one there was.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SaveFormDraftCommand(FormDefinition Definition, int BasedOnVersion) : ICommand;

/// <summary>Throws the draft away; the editor then shows the published form.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record DiscardFormDraftCommand : ICommand;

public sealed class FormDraftHandlers(IDocumentSession session, ITenantContext tenant, ActorContext actor, IClock clock)
    : IQueryHandler<GetFormBuilderQuery, FormBuilderState>, ICommandHandler<SaveFormDraftCommand>, ICommandHandler<DiscardFormDraftCommand>
{
    /// <summary>
    /// Read from the store, not the per-pod cache: the editor must name the version that is stored
    /// now, or its publish would be refused as a conflict with a version it never saw.
    /// </summary>
    public async ValueTask<FormBuilderState> Handle(GetFormBuilderQuery query, CancellationToken cancellationToken)
    {
        var published = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken)
            ?? FormDefinition.StarterFor(tenant.RequiredTenant.Name) with { Version = 0 };
        var draft = await session.LoadAsync<FormDraft>(FormDraft.DraftId, cancellationToken);
        return new FormBuilderState(published, draft);
    }

    public async ValueTask<Unit> Handle(SaveFormDraftCommand command, CancellationToken cancellationToken)
    {
        session.Store(new FormDraft(command.Definition with { Id = FormDefinition.CurrentId, Version = command.BasedOnVersion }, command.BasedOnVersion, actor.Current.Id, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }

    public async ValueTask<Unit> Handle(DiscardFormDraftCommand command, CancellationToken cancellationToken)
    {
        session.Delete<FormDraft>(FormDraft.DraftId);
        await session.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
