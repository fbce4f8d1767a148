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
    public const int MaxQuestions = 30;
    public const int MaxOptions = 20;
    public const int MaxLabelLength = 200;
    public const int MaxConsentLength = 1000;
    public const int MaxTextLength = 1000;

    public PublishFormDefinitionValidator()
    {
        RuleFor(c => c.Definition.DefaultLanguage).Must(FormLanguages.IsOffered).WithMessage("Choose English or Dutch.");
        RuleFor(c => c.Definition.Country).Must(FormCountries.IsKnown).WithMessage("Choose a country from the list.");
        RuleFor(c => c.Definition.ThankYouSeconds).InclusiveBetween(3, 60).WithMessage("Show the thank-you screen for 3 to 60 seconds.");
        RuleFor(c => c.Definition.IdleSeconds).InclusiveBetween(15, 600).WithMessage("Clear an untouched form after 15 to 600 seconds.");
        RuleFor(c => c.Definition.Fields).Must(f => f.Select(x => x.Field).Distinct().Count() == f.Count)
            .WithMessage("Each built-in field can appear once.");
        RuleFor(c => c.Definition).Must(d => d.RequirementOf(BuiltInField.Email) != FieldRequirement.Hidden || d.RequirementOf(BuiltInField.Phone) != FieldRequirement.Hidden)
            .OverridePropertyName("Definition.Fields")
            .WithMessage("Ask for an email address or a phone number, or both.");
        RuleFor(c => c.Definition.EmailConsent).Must(Complete).When(c => c.Definition.RequirementOf(BuiltInField.Email) != FieldRequirement.Hidden)
            .WithMessage("Write the email consent in every language: the kiosk asks for it with the email address.");
        RuleFor(c => c.Definition.SmsConsent).Must(Complete).When(c => c.Definition.RequirementOf(BuiltInField.Phone) != FieldRequirement.Hidden)
            .WithMessage("Write the text message consent in every language: the kiosk asks for it with the phone number.");
        RuleFor(c => c.Definition.EmailConsent).Must(t => AtMost(t, MaxConsentLength)).WithMessage("Keep the consent wording to 1000 characters.");
        RuleFor(c => c.Definition.SmsConsent).Must(t => AtMost(t, MaxConsentLength)).WithMessage("Keep the consent wording to 1000 characters.");
        RuleFor(c => c.Definition.Branding.Welcome).Must(t => AtMost(t, MaxTextLength)).WithMessage("Keep the welcome text to 1000 characters.");
        RuleFor(c => c.Definition.Branding.ThankYou).Must(t => AtMost(t, MaxTextLength)).WithMessage("Keep the thank-you text to 1000 characters.");
        RuleFor(c => c.Definition.Questions).Must(q => q.Count <= MaxQuestions)
            .WithMessage("A form can have at most 30 questions of your own.");
        RuleFor(c => c.Definition.Questions).Must(q => q.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count() == q.Count)
            .WithMessage("Each question needs its own key.");
        RuleForEach(c => c.Definition.Questions).ChildRules(question =>
        {
            question.RuleFor(q => q.Key).Must(FormKeys.IsWellFormed).WithMessage("A key is 1 to 40 lower-case letters, digits and hyphens.");
            question.RuleFor(q => q.Label).Must(l => !l.IsEmpty).WithMessage("A question needs a label.");
            question.RuleFor(q => q.Label).Must(l => AtMost(l, MaxLabelLength)).WithMessage("Keep a label to 200 characters.");
            question.RuleFor(q => q.Options).Must(o => o.Count >= 2).When(q => q.Kind is QuestionKind.SingleChoice or QuestionKind.MultipleChoice)
                .WithMessage("A choice question needs at least two options.");
            question.RuleFor(q => q.Options).Must(o => o.Count <= MaxOptions).WithMessage("A question can have at most 20 options.");
            question.RuleFor(q => q.Options).Must(o => o.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count() == o.Count)
                .WithMessage("Each option needs its own key.");
            question.RuleForEach(q => q.Options).ChildRules(option =>
            {
                option.RuleFor(o => o.Key).Must(FormKeys.IsWellFormed).WithMessage("A key is 1 to 40 lower-case letters, digits and hyphens.");
                option.RuleFor(o => o.Label).Must(l => !l.IsEmpty).WithMessage("An option needs a label.");
                option.RuleFor(o => o.Label).Must(l => AtMost(l, MaxLabelLength)).WithMessage("Keep a label to 200 characters.");
            }).When(q => q.Options.Count <= MaxOptions);
        }).When(c => c.Definition.Questions.Count <= MaxQuestions);
        RuleFor(c => c.Definition.Branding.PrimaryColor).ValidColour();
        RuleFor(c => c.Definition.Branding.BackgroundColor).ValidColour();
        RuleFor(c => c.Definition.Branding).Custom((branding, context) => BrandingRules.CheckContrast(
            context, branding.PrimaryColor, branding.BackgroundColor, "Definition.Branding.PrimaryColor", "Definition.Branding.BackgroundColor"));
        RuleForEach(c => c.Definition.Locations).ChildRules(location => location.RuleFor(l => l.Key).Matches("^[a-z0-9-]{1,40}$"));
    }

    /// <summary>Text for every language the kiosk offers (a shopper switching language still reads the words they agree to).</summary>
    private static bool Complete(LocalizedText text) =>
        FormLanguages.All.All(l => text.Values.TryGetValue(l, out var words) && !string.IsNullOrWhiteSpace(words));

    private static bool AtMost(LocalizedText text, int length) => text.Values.Values.All(v => (v?.Length ?? 0) <= length);
}

/// <summary>
/// Every publish appends to the tenant's form stream (one fixed id: stream ids are per tenant), read
/// first with its version, so two publishes from the same version cannot both commit.
/// </summary>
public sealed class PublishFormDefinitionHandler(IDocumentSession session, ITenantContext tenant, FormDefinitions definitions, ITenantChanges changes, IClock clock)
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

        changes.Announce(session, tenant.RequiredTenant.Id);
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
