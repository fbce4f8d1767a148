using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.Stores;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>
/// A shopper's sign-up as the form posts it. Everything is optional here; the validator applies
/// the store's form definition. <see cref="SubmissionId"/> comes from the rendered form and makes a
/// resubmission (double tap, retry, offline replay) store nothing new.
/// </summary>
[Anyone]
public sealed class SubmitSignUpCommand : ICommand<SubmitSignUpResult>
{
    public Guid? SubmissionId { get; set; }

    public int? FormVersion { get; set; }

    public string? Language { get; set; }

    /// <summary>The kiosk link the tablet was opened with (<c>/k/{token}</c>), which names the store; null at the bare address.</summary>
    public string? KioskToken { get; set; }

    /// <summary>When the shopper tapped "Sign up", from the device (offline-queued sign-ups are sent later).</summary>
    public DateTimeOffset? FilledAt { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public int? BirthdayDay { get; set; }

    public int? BirthdayMonth { get; set; }

    public int? BirthdayYear { get; set; }

    public string? PostalCode { get; set; }

    public bool EmailConsent { get; set; }

    public bool SmsConsent { get; set; }

    /// <summary>Answers to the store's own questions: question key → the chosen option keys or the text.</summary>
    public Dictionary<string, string[]> Answers { get; set; } = new(StringComparer.Ordinal);
}

public sealed record SubmitSignUpResult(Guid SignUpId, bool AlreadyReceived);

public sealed class SubmitSignUpValidator : AbstractValidator<SubmitSignUpCommand>
{
    /// <summary>
    /// One rule for the whole sign-up, with its checks in the order they answer: the submission id,
    /// the kiosk link, then the fields. A validator is made for every sign-up (it takes the request's
    /// tenant), and each <c>RuleFor(c => c.Property)</c> costs an expression tree and its property
    /// lookups per instance; with one rule, making it is cheap (ADR 35).
    /// </summary>
    public SubmitSignUpValidator(ITenantContext tenant, FormDefinitions definitions, IClock clock, IKioskLinks links)
    {
        RuleFor(c => c).CustomAsync(async (command, context, cancellationToken) =>
        {
            // A Guid? that is only checked for null lets Guid.Empty through, and an empty id cannot key
            // a stream: the handler would fail with a 500, which the kiosk retries forever.
            if (command.SubmissionId is not { } id || id == Guid.Empty)
            {
                context.AddFailure(nameof(command.SubmissionId), SignUpMessages.For(command.Language).FormExpired);
            }

            // The page refuses a revoked or unknown link before it sends the command; this catches a
            // revocation committed in between, so no sign-up is credited to a link that no longer exists.
            if ((await links.ResolveAsync(tenant.RequiredTenant.Id, command.KioskToken, cancellationToken)).State is not (KioskLinkState.None or KioskLinkState.Live))
            {
                context.AddFailure(nameof(command.KioskToken), SignUpMessages.For(command.Language).KioskLinkRevoked);
            }

            var definition = await definitions.VersionAsync(tenant.RequiredTenant, command.FormVersion, cancellationToken);
            var messages = SignUpMessages.For(FormLanguages.OrDefault(command.Language, definition));
            foreach (var (property, message) in Check(command, definition, clock.UtcNow, messages))
            {
                context.AddFailure(property, message);
            }
        });
    }

    private static IEnumerable<(string Property, string Message)> Check(SubmitSignUpCommand c, FormDefinition definition, DateTimeOffset now, SignUpMessages m)
    {
        foreach (var failure in Name(nameof(c.FirstName), c.FirstName, definition.RequirementOf(BuiltInField.FirstName), m.FirstNameMissing, m))
        {
            yield return failure;
        }

        foreach (var failure in Name(nameof(c.LastName), c.LastName, definition.RequirementOf(BuiltInField.LastName), m.LastNameMissing, m))
        {
            yield return failure;
        }

        var emailRequirement = definition.RequirementOf(BuiltInField.Email);
        var phoneRequirement = definition.RequirementOf(BuiltInField.Phone);
        var email = emailRequirement == FieldRequirement.Hidden ? null : ShopperInput.Email(c.Email);
        var phone = phoneRequirement == FieldRequirement.Hidden ? null : ShopperInput.Clean(c.Phone);

        if (email is null && emailRequirement == FieldRequirement.Required)
        {
            yield return (nameof(c.Email), m.EmailMissing);
        }
        else if (email is not null && !ShopperInput.IsEmail(email))
        {
            yield return (nameof(c.Email), m.EmailInvalid);
        }

        if (phone is null && phoneRequirement == FieldRequirement.Required)
        {
            yield return (nameof(c.Phone), m.PhoneMissing);
        }
        else if (phone is not null && ShopperInput.ToE164(phone, definition.Country) is null)
        {
            yield return (nameof(c.Phone), m.PhoneInvalid);
        }

        if (email is null && phone is null && emailRequirement != FieldRequirement.Required && phoneRequirement != FieldRequirement.Required)
        {
            yield return (emailRequirement != FieldRequirement.Hidden ? nameof(c.Email) : nameof(c.Phone), m.ContactMissing);
        }

        if (c.EmailConsent && email is null)
        {
            yield return (nameof(c.EmailConsent), m.EmailConsentNeedsEmail);
        }

        if (c.SmsConsent && phone is null)
        {
            yield return (nameof(c.SmsConsent), m.SmsConsentNeedsPhone);
        }

        var birthday = definition.RequirementOf(BuiltInField.Birthday);
        if (birthday == FieldRequirement.Required && (c.BirthdayDay is null || c.BirthdayMonth is null))
        {
            yield return ("Birthday", m.BirthdayMissing);
        }
        else if (birthday != FieldRequirement.Hidden && !ShopperInput.IsBirthday(c.BirthdayDay, c.BirthdayMonth, c.BirthdayYear, now))
        {
            yield return ("Birthday", m.BirthdayInvalid);
        }

        var postalCode = definition.RequirementOf(BuiltInField.PostalCode);
        if (postalCode == FieldRequirement.Required && ShopperInput.Clean(c.PostalCode) is null)
        {
            yield return (nameof(c.PostalCode), m.PostalCodeMissing);
        }
        else if (postalCode != FieldRequirement.Hidden && !ShopperInput.IsPostalCode(c.PostalCode))
        {
            yield return (nameof(c.PostalCode), m.PostalCodeInvalid);
        }

        foreach (var question in definition.Questions.Where(q => q.Requirement != FieldRequirement.Hidden))
        {
            var values = AnswerValues(c, question);
            var key = $"Answers[{question.Key}]";
            if (values.Count == 0)
            {
                if (question.Requirement == FieldRequirement.Required)
                {
                    yield return (key, m.AnswerMissing);
                }

                continue;
            }

            if (question.Kind == QuestionKind.ShortText)
            {
                if (values[0].Length > ShopperInput.AnswerMaxLength || !ShopperInput.IsPrintable(values[0]))
                {
                    yield return (key, m.AnswerTooLong(ShopperInput.AnswerMaxLength));
                }
            }
            else if (values.Any(v => !question.AllowedValues.Contains(v, StringComparer.Ordinal))
                || (question.Kind != QuestionKind.MultipleChoice && values.Count > 1))
            {
                yield return (key, m.ChoiceInvalid);
            }
        }
    }

    private static IEnumerable<(string, string)> Name(string property, string? value, FieldRequirement requirement, string missing, SignUpMessages m)
    {
        if (requirement == FieldRequirement.Hidden)
        {
            yield break;
        }

        var name = ShopperInput.Name(value);
        if (name is null)
        {
            if (requirement == FieldRequirement.Required)
            {
                yield return (property, missing);
            }
        }
        else if (name.Length > ShopperInput.NameMaxLength)
        {
            yield return (property, m.NameTooLong(ShopperInput.NameMaxLength));
        }
        else if (!ShopperInput.IsPrintable(name))
        {
            yield return (property, m.NameUnprintable);
        }
    }

    /// <summary>The non-empty answers given to <paramref name="question"/>; answers to questions no longer asked are ignored.</summary>
    internal static List<string> AnswerValues(SubmitSignUpCommand command, CustomQuestion question) =>
        command.Answers.TryGetValue(question.Key, out var values)
            ? values.Select(ShopperInput.Clean).OfType<string>().Distinct(StringComparer.Ordinal).ToList()
            : [];
}

public sealed class SubmitSignUpHandler(ISignUpLog log, ITenantContext tenant, FormDefinitions definitions, IClock clock, IKioskLinks links)
    : ICommandHandler<SubmitSignUpCommand, SubmitSignUpResult>
{
    public async ValueTask<SubmitSignUpResult> Handle(SubmitSignUpCommand command, CancellationToken cancellationToken)
    {
        var definition = await definitions.VersionAsync(tenant.RequiredTenant, command.FormVersion, cancellationToken);
        var receivedAt = clock.UtcNow;
        var claimedFilledAt = DeviceClock.Claim(command.FilledAt, receivedAt);
        var language = FormLanguages.OrDefault(command.Language, definition);
        // Live, as the validator found a moment ago (a link revoked since is still credited: it was live when checked).
        var (_, place) = await links.ResolveAsync(tenant.RequiredTenant.Id, command.KioskToken, cancellationToken);
        // Where consent was given, in the proof's words: the store's name at that moment.
        var location = place?.StoreName;
        var signUpId = command.SubmissionId!.Value;

        var shopper = ShopperFrom(command, definition);
        var submitted = new SignUpSubmitted(
            signUpId,
            definition.Version,
            language,
            null,
            claimedFilledAt ?? receivedAt,
            receivedAt,
            shopper,
            AnswersFrom(command, definition),
            command.EmailConsent && shopper.Email is not null ? Consent(ConsentChannel.Email, definition.EmailConsent, language, receivedAt, claimedFilledAt, location) : null,
            command.SmsConsent && shopper.Phone is not null ? Consent(ConsentChannel.Sms, definition.SmsConsent, language, receivedAt, claimedFilledAt, location) : null,
            place?.StoreId,
            place?.LinkId);

        var stored = await log.StartAsync(tenant.RequiredTenant.Id, submitted, cancellationToken);
        return new SubmitSignUpResult(signUpId, AlreadyReceived: !stored);
    }

    private static Shopper ShopperFrom(SubmitSignUpCommand c, FormDefinition definition)
    {
        string? Visible(BuiltInField field, string? value, Func<string?, string?> keep) =>
            definition.RequirementOf(field) == FieldRequirement.Hidden ? null : keep(value);

        var birthday = definition.RequirementOf(BuiltInField.Birthday) != FieldRequirement.Hidden && c.BirthdayDay is { } day && c.BirthdayMonth is { } month
            ? new Birthday(day, month, c.BirthdayYear)
            : null;
        var phone = Visible(BuiltInField.Phone, c.Phone, ShopperInput.Clean);
        return new Shopper(
            Visible(BuiltInField.FirstName, c.FirstName, ShopperInput.Name),
            Visible(BuiltInField.LastName, c.LastName, ShopperInput.Name),
            Visible(BuiltInField.Email, c.Email, ShopperInput.Email),
            phone is null ? null : ShopperInput.ToE164(phone, definition.Country),
            birthday,
            Visible(BuiltInField.PostalCode, c.PostalCode, ShopperInput.Clean)?.ToUpperInvariant());
    }

    private static List<QuestionAnswer> AnswersFrom(SubmitSignUpCommand command, FormDefinition definition) =>
        definition.Questions
            .Where(q => q.Requirement != FieldRequirement.Hidden)
            .Select(q => new QuestionAnswer(q.Key, SubmitSignUpValidator.AnswerValues(command, q)))
            .Where(a => a.Values.Count > 0)
            .ToList();

    /// <summary>
    /// The consent's time of record is when the server received it: a tablet's clock can be wrong or
    /// set back, and proof of consent must not rest on it. The tablet's time is kept as its claim.
    /// </summary>
    private static ConsentProof Consent(ConsentChannel channel, LocalizedText wording, string language, DateTimeOffset receivedAt, DateTimeOffset? deviceFilledAt, string? location)
    {
        var text = wording.In(language);
        return new ConsentProof(channel, text, ConsentText.VersionOf(text), language, receivedAt, location, deviceFilledAt);
    }
}
