using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.SignUps.PublishFormDefinition;

/// <summary>Makes <see cref="Definition"/> the store's form, as a new version; earlier versions are kept.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record PublishFormDefinitionCommand(FormDefinition Definition) : ICommand<int>;

public sealed class PublishFormDefinitionValidator : AbstractValidator<PublishFormDefinitionCommand>
{
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(StringComparer.Ordinal) { "en", "nl" };

    public PublishFormDefinitionValidator()
    {
        RuleFor(c => c.Definition.DefaultLanguage).Must(Languages.Contains).WithMessage("Choose English or Dutch.");
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
        RuleFor(c => c.Definition.Branding.PrimaryColor).Matches("^#[0-9a-fA-F]{6}$");
        RuleFor(c => c.Definition.Branding.BackgroundColor).Matches("^#[0-9a-fA-F]{6}$");
        RuleFor(c => c.Definition.Branding.LogoUrl)
            .Must(url => url is null || url.StartsWith("https://", StringComparison.Ordinal) || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)))
            .WithMessage("The logo must be an https address.");
        RuleForEach(c => c.Definition.Locations).ChildRules(location => location.RuleFor(l => l.Key).Matches("^[a-z0-9-]{1,40}$"));
    }
}

public sealed class PublishFormDefinitionHandler(IDocumentSession session, ITenantContext tenant, FormDefinitions definitions, IClock clock)
    : ICommandHandler<PublishFormDefinitionCommand, int>
{
    public async ValueTask<int> Handle(PublishFormDefinitionCommand command, CancellationToken cancellationToken)
    {
        var current = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken);
        var version = (current?.Version ?? 0) + 1;
        var published = command.Definition with { Version = version };

        session.Store(published with { Id = FormDefinition.CurrentId });
        session.Store(published with { Id = FormDefinitions.VersionId(version) });
        session.Events.Append(tenant.RequiredTenant.Id, new FormDefinitionPublished(version, clock.UtcNow));
        await session.SaveChangesAsync(cancellationToken);

        definitions.Forget(tenant.RequiredTenant.Id);
        return version;
    }
}
