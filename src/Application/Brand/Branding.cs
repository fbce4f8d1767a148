using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Application.SignUps;
using CustomerInfo.Application.SignUps.PublishFormDefinition;
using CustomerInfo.Application.Tenants;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Brand;

/// <summary>What the branding page shows: the store's name and look, and the form version they come from.</summary>
/// <param name="Version">The stored form's version (0 before the first publish): what a save names as its starting point.</param>
public sealed record BrandingView(string StoreName, string PrimaryColour, string BackgroundColour, BrandLogo? Logo, int Version);

/// <summary>What a branding change did. <see cref="Problem"/>: the upload was refused; otherwise a null <see cref="Published"/> is a conflict.</summary>
public sealed record BrandingOutcome(int? Published, int CurrentVersion, LogoProblem? Problem = null)
{
    public bool IsConflict => Published is null && Problem is null;

    public static BrandingOutcome Refused(LogoProblem problem, int version) => new(null, version, problem);

    public static BrandingOutcome From(FormPublishOutcome outcome) => new(outcome.Published, outcome.CurrentVersion);
}

[RequiresRole(TeamRole.Manager)]
public sealed record GetBrandingQuery : IQuery<BrandingView>;

public sealed class GetBrandingHandler(BrandingForms forms, ITenantContext tenant) : IQueryHandler<GetBrandingQuery, BrandingView>
{
    public async ValueTask<BrandingView> Handle(GetBrandingQuery query, CancellationToken cancellationToken)
    {
        var (definition, version) = await forms.CurrentAsync(cancellationToken);
        var branding = definition.Branding;
        return new BrandingView(tenant.RequiredTenant.Name, branding.PrimaryColor, branding.BackgroundColor, branding.Logo, version);
    }
}

/// <summary>
/// Saves the store's name and colours. The colours are published as a new form version that
/// differs from the current one only in them; <see cref="BasedOnVersion"/> is the version the page
/// was loaded from, so a publish by someone else meanwhile is reported, not overwritten.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record SaveBrandingCommand(string? StoreName, string? PrimaryColour, string? BackgroundColour, int BasedOnVersion) : ICommand<BrandingOutcome>;

public sealed class SaveBrandingValidator : AbstractValidator<SaveBrandingCommand>
{
    public SaveBrandingValidator()
    {
        RuleFor(c => c.StoreName).Cascade(CascadeMode.Stop).ValidShopName();
        RuleFor(c => c.PrimaryColour).ValidColour();
        RuleFor(c => c.BackgroundColour).ValidColour();
        RuleFor(c => c).Custom((command, context) => BrandingRules.CheckContrast(
            context, command.PrimaryColour, command.BackgroundColour, nameof(SaveBrandingCommand.PrimaryColour), nameof(SaveBrandingCommand.BackgroundColour)));
        RuleFor(c => c.BasedOnVersion).GreaterThanOrEqualTo(0);
    }
}

public sealed class SaveBrandingHandler(BrandingForms forms, TenantFacts facts, ITenantContext tenant, FormDefinitions definitions, IClock clock)
    : ICommandHandler<SaveBrandingCommand, BrandingOutcome>
{
    public async ValueTask<BrandingOutcome> Handle(SaveBrandingCommand command, CancellationToken cancellationToken)
    {
        var (stored, version) = await forms.StoredAsync(cancellationToken);
        if (version != command.BasedOnVersion)
        {
            return new BrandingOutcome(null, version);
        }

        // The name first: a store that never published gets its starter form (whose texts name it) under its new name.
        var name = BrandingRules.CleanName(command.StoreName);
        var current = tenant.RequiredTenant;
        if (!string.Equals(name, current.Name, StringComparison.Ordinal))
        {
            var renamed = await facts.RecordAsync(current.Id, new TenantFact.Rename(name, clock.UtcNow), cancellationToken);
            current = renamed.Tenant ?? current;
            definitions.Forget(current.Id);
        }

        var definition = stored ?? await definitions.CurrentAsync(current, cancellationToken);
        var primary = HexColour.ParseOr(command.PrimaryColour, HexColour.Ink).Value;
        var background = HexColour.ParseOr(command.BackgroundColour, HexColour.White).Value;
        if (stored is not null && definition.Branding.PrimaryColor == primary && definition.Branding.BackgroundColor == background)
        {
            return new BrandingOutcome(version, version);
        }

        return await forms.PublishAsync(definition, definition.Branding with { PrimaryColor = primary, BackgroundColor = background }, version, cancellationToken);
    }
}

/// <summary>
/// Makes an uploaded file the store's logo: its type read from its bytes, its size checked from its
/// header before decoding, decoded and re-encoded (<see cref="ILogoRenderer"/>), stored, and
/// published as a new form version that differs only in its logo. A refused file stores nothing.
/// </summary>
[RequiresRole(TeamRole.Manager)]
public sealed record UploadLogoCommand(byte[] File, int BasedOnVersion) : ICommand<BrandingOutcome>;

public sealed class UploadLogoHandler(BrandingForms forms, ILogoRenderer renderer, IDocumentSession session, IClock clock)
    : ICommandHandler<UploadLogoCommand, BrandingOutcome>
{
    public async ValueTask<BrandingOutcome> Handle(UploadLogoCommand command, CancellationToken cancellationToken)
    {
        var (stored, version) = await forms.StoredAsync(cancellationToken);
        if (version != command.BasedOnVersion)
        {
            return new BrandingOutcome(null, version);
        }

        var kind = LogoFile.Sniff(command.File);
        LogoProblem? problem = command.File.Length > LogoFile.MaxBytes ? LogoProblem.TooLarge : kind switch
        {
            LogoFileKind.Empty => LogoProblem.Empty,
            LogoFileKind.Svg => LogoProblem.Svg,
            _ when !LogoFile.IsAccepted(kind) => LogoProblem.NotAnImage,
            _ => null,
        };
        if (problem is { } refused)
        {
            return BrandingOutcome.Refused(refused, version);
        }

        var rendering = renderer.Render(command.File, kind, clock.UtcNow);
        if (rendering.Renditions is not { } renditions)
        {
            return BrandingOutcome.Refused(rendering.Problem ?? LogoProblem.Unreadable, version);
        }

        // Stored before the publish that names them: a conflict leaves them unnamed (harmless, content-addressed).
        session.Store(renditions.Standard);
        if (renditions.HiDpi is { } hiDpi)
        {
            session.Store(hiDpi);
        }

        await session.SaveChangesAsync(cancellationToken);
        var definition = stored ?? await forms.StarterAsync(cancellationToken);
        return await forms.PublishAsync(definition, definition.Branding with { Logo = renditions.Logo }, version, cancellationToken);
    }
}

[RequiresRole(TeamRole.Manager)]
public sealed record RemoveLogoCommand(int BasedOnVersion) : ICommand<BrandingOutcome>;

public sealed class RemoveLogoHandler(BrandingForms forms) : ICommandHandler<RemoveLogoCommand, BrandingOutcome>
{
    public async ValueTask<BrandingOutcome> Handle(RemoveLogoCommand command, CancellationToken cancellationToken)
    {
        var (stored, version) = await forms.StoredAsync(cancellationToken);
        if (version != command.BasedOnVersion)
        {
            return new BrandingOutcome(null, version);
        }

        if (stored?.Branding.Logo is null)
        {
            return new BrandingOutcome(version, version);
        }

        return await forms.PublishAsync(stored, stored.Branding with { Logo = null }, version, cancellationToken);
    }
}

/// <summary>The kiosk's logo at <c>/brand/logo/{fingerprint}</c>: the current tenant's rendition, or null.</summary>
[Anyone]
public sealed record GetBrandImageQuery(string Fingerprint) : IQuery<BrandImage?>;

public sealed class GetBrandImageHandler(IBrandImages images, ITenantContext tenant) : IQueryHandler<GetBrandImageQuery, BrandImage?>
{
    public async ValueTask<BrandImage?> Handle(GetBrandImageQuery query, CancellationToken cancellationToken) =>
        tenant.Tenant is { } store && BrandImage.IsFingerprint(query.Fingerprint)
            ? await images.FindAsync(store.Id, query.Fingerprint, cancellationToken)
            : null;
}

/// <summary>The current form as stored (with its version), and the publish of a branding change to it.</summary>
public sealed class BrandingForms(IDocumentSession session, ITenantContext tenant, FormDefinitions definitions, ISender sender)
{
    /// <summary>The stored current form and its version; null and 0 before the first publish.</summary>
    public async Task<(FormDefinition? Definition, int Version)> StoredAsync(CancellationToken cancellationToken)
    {
        var stored = await session.LoadAsync<FormDefinition>(FormDefinition.CurrentId, cancellationToken);
        return (stored, stored?.Version ?? 0);
    }

    /// <summary>The form shoppers see (the starter before the first publish) and the stored version.</summary>
    public async Task<(FormDefinition Definition, int Version)> CurrentAsync(CancellationToken cancellationToken)
    {
        var (stored, version) = await StoredAsync(cancellationToken);
        return (stored ?? await StarterAsync(cancellationToken), version);
    }

    public async Task<FormDefinition> StarterAsync(CancellationToken cancellationToken) =>
        await definitions.CurrentAsync(tenant.RequiredTenant, cancellationToken);

    public async Task<BrandingOutcome> PublishAsync(FormDefinition current, Domain.SignUps.Branding branding, int basedOn, CancellationToken cancellationToken) =>
        BrandingOutcome.From(await sender.Send(new PublishFormDefinitionCommand(current with { Branding = branding }, basedOn), cancellationToken));
}
