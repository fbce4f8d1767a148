using CustomerInfo.Application.Brand;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.PublishFormDefinition;

/// <summary>
/// Makes <see cref="Definition"/> the store's form, as a new version; earlier versions are kept, so
/// old sign-ups keep the wording they saw. <see cref="BasedOnVersion"/> is the version the editor
/// started from: when someone published another meanwhile, nothing is written and the outcome says
/// which version is current now. Null publishes over whatever is current (the seed, the migration).
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record PublishFormDefinitionCommand(FormDefinition Definition, int? BasedOnVersion = null) : ICommand<FormPublishOutcome>;

/// <summary>What a publish did: <see cref="Published"/> is the new version; otherwise <see cref="CurrentVersion"/> was published meanwhile.</summary>
public sealed record FormPublishOutcome(int? Published, int CurrentVersion)
{
    public bool IsConflict => Published is null;
}

public sealed class PublishFormDefinitionValidator : AbstractValidator<PublishFormDefinitionCommand>
{
    public PublishFormDefinitionValidator()
    {
        RuleFor(c => c.Definition.DefaultLanguage).Must(FormLanguages.IsOffered).WithMessage("Choose English or Dutch.");
        RuleFor(c => c.Definition.Country).Matches("^[A-Z]{2}$").WithMessage("Choose a country.");
        RuleFor(c => c.Definition.ThankYouSeconds).InclusiveBetween(3, 60);
        RuleFor(c => c.Definition.IdleSeconds).InclusiveBetween(15, 600);
        RuleFor(c => c.Definition.Fields).Must(f => f.Select(x => x.Field).Distinct().Count() == f.Count)
            .WithMessage("Each built-in field can appear once.");
        RuleFor(c => c.Definition).Must(d => d.RequirementOf(BuiltInField.Email) != FieldRequirement.Hidden || d.RequirementOf(BuiltInField.Phone) != FieldRequirement.Hidden)
            .WithMessage("Ask for an email address or a phone number, or both.");
        RuleFor(c => c.Definition.Questions).Must(q => q.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count() == q.Count)
            .WithMessage("Each question needs its own key.");
        RuleForEach(c => c.Definition.Questions).ChildRules(question =>
        {
            question.RuleFor(q => q.Key).Matches("^[a-z0-9-]{1,40}$");
            question.RuleFor(q => q.Label).Must(l => !l.IsEmpty).WithMessage("A question needs a label.");
            question.RuleFor(q => q.Options).Must(o => o.Count >= 2).When(q => q.Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice)
                .WithMessage("A choice question needs at least two options.");
            question.RuleFor(q => q.Options).Must(o => o.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count() == o.Count)
                .WithMessage("Each option needs its own key.");
        });
        RuleFor(c => c.Definition.Branding.PrimaryColor).ValidColour();
        RuleFor(c => c.Definition.Branding.BackgroundColor).ValidColour();
        RuleFor(c => c.Definition.Branding).Custom((branding, context) => BrandingRules.CheckContrast(
            context, branding.PrimaryColor, branding.BackgroundColor, "Definition.Branding.PrimaryColor", "Definition.Branding.BackgroundColor"));
        RuleForEach(c => c.Definition.Locations).ChildRules(location => location.RuleFor(l => l.Key).Matches("^[a-z0-9-]{1,40}$"));
    }
}

/// <summary>
/// Every publish appends to the tenant's form stream (one fixed id: stream ids are per tenant), read
/// first with its version, so two publishes from the same version cannot both commit.
/// </summary>
public sealed class PublishFormDefinitionHandler(IDocumentSession session, ITenantContext tenant, FormDefinitions definitions, IClock clock)
    : ICommandHandler<PublishFormDefinitionCommand, FormPublishOutcome>
{
    /// <summary>The id of each tenant's stream of <see cref="FormDefinitionPublished"/> events.</summary>
    public static readonly Guid FormStreamId = new("f0f0f0f0-0000-4000-8000-00000000f0a1");

    public async ValueTask<FormPublishOutcome> Handle(PublishFormDefinitionCommand command, CancellationToken cancellationToken)
    {
        var state = await session.Events.FetchStreamStateAsync(FormStreamId, cancellationToken);
        var current = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken);
        var currentVersion = current?.Version ?? 0;
        if (command.BasedOnVersion is { } basedOn && basedOn != currentVersion)
        {
            return new FormPublishOutcome(null, currentVersion);
        }

        var version = currentVersion + 1;
        var published = command.Definition with { Version = version };
        session.Store(published with { Id = FormDefinition.CurrentId });
        session.Store(published with { Id = FormDefinitions.VersionId(version) });
        var next = (state?.Version ?? 0) + 1;
        if (state is null)
        {
            session.Events.StartStream(FormStreamId, new FormDefinitionPublished(version, clock.UtcNow));
        }
        else
        {
            session.Events.Append(FormStreamId, next, new FormDefinitionPublished(version, clock.UtcNow));
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException || PostgresErrors.IsUniqueViolation(e))
        {
            definitions.Forget(tenant.RequiredTenant.Id);
            var now = await definitions.CurrentAsync(tenant.RequiredTenant, cancellationToken);
            return new FormPublishOutcome(null, now.Version);
        }

        definitions.Forget(tenant.RequiredTenant.Id);
        return new FormPublishOutcome(version, version);
    }
}
