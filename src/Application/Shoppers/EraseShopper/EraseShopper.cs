using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Contacts;
using CustomerInfo.Application.Crm.Erasure;
using CustomerInfo.Application.SignUps.ListSignUps;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Domain.SignUps;
using FluentValidation;
using Marten;
using Mediator;

namespace CustomerInfo.Application.Shoppers.EraseShopper;

/// <summary>
/// "Delete me": erases one shopper of the current store everywhere their details are kept (ADR 10).
/// The contact may be any of the shopper's contacts, merged ones included: the whole shopper goes.
/// <see cref="ErasedBy"/> names who asked, by account id or role (never by name or address), and
/// stays in the history. Safe to repeat: an erased shopper is masked again and nothing is added.
/// <para>
/// <see cref="Reach"/>: only a shopper's own request, through a Manager, is <see cref="ErasureReach.AlsoTheCrm"/>
/// and erases their record in the retailer's CRM too (<see cref="CrmErasures"/>). The platform's own
/// erasures (a canceled store, retention) keep the default and never delete in the CRM, which is the retailer's.
/// </para>
/// </summary>
[RequiresRole(TeamRole.Manager)]
[SystemMaySend] // the erasure of a canceled tenant's data (ADR 0023)
public sealed record EraseShopperCommand(Guid ContactId, string ErasedBy, ErasureReach Reach = ErasureReach.OurDataOnly) : ICommand<EraseShopperResult>;

/// <summary><see cref="Found"/> is false when the store has no such contact.</summary>
public sealed record EraseShopperResult(bool Found, bool AlreadyErased, IReadOnlyList<Guid> ContactIds, IReadOnlyList<Guid> SignUpIds)
{
    public static readonly EraseShopperResult NotFound = new(false, false, [], []);
}

public sealed class EraseShopperValidator : AbstractValidator<EraseShopperCommand>
{
    public EraseShopperValidator()
    {
        RuleFor(c => c.ContactId).NotEqual(Guid.Empty);
        RuleFor(c => c.ErasedBy).NotEmpty().MaximumLength(100);
    }
}

public sealed class EraseShopperHandler(IDocumentSession session, IDocumentStore store, CrmErasures crm, IClock clock)
    : ICommandHandler<EraseShopperCommand, EraseShopperResult>
{
    public async ValueTask<EraseShopperResult> Handle(EraseShopperCommand command, CancellationToken cancellationToken)
    {
        var contact = await session.LoadCurrentAsync(command.ContactId, cancellationToken);

        if (contact is null)
        {
            return EraseShopperResult.NotFound;
        }

        var contactIds = new[] { contact.Id }.Concat(contact.AbsorbedContactIds).Distinct().ToList();
        var signUpIds = contact.SignUpIds.Concat(await NotYetLinkedAsync(contact.Shopper, cancellationToken)).Distinct().ToList();
        var alreadyErased = contact.ErasedAt is not null;
        IReadOnlyList<CrmErasureRequest> inCrm = [];
        if (!alreadyErased)
        {
            // Before the details are blanked: what the CRM finds the shopper by, kept encrypted for its call.
            inCrm = await crm.CaptureAsync(session, contact, command.ErasedBy, command.Reach, cancellationToken);
            var now = clock.UtcNow;
            foreach (var id in contactIds)
            {
                session.Events.Append(id, new ShopperErased(id, contact.Id, signUpIds, command.ErasedBy, now));
            }

            foreach (var id in signUpIds)
            {
                session.Events.Append(id, new SignUpErased(id, contact.Id, command.ErasedBy, now));
            }
        }

        session.DeleteWhere<ContactIndexEntry>(e => contactIds.Contains(e.ContactId));
        // The keys an import claimed for these sign-ups (ADR 18), keyed hashes like the index's.
        session.DeleteWhere<Import.ImportedContactKey>(k => signUpIds.Contains(k.SignUpId));
        await session.SaveChangesAsync(cancellationToken);
        crm.Enqueue(inCrm);

        // The read models were blanked in the transaction above (inline projections); this rewrites
        // the stored events themselves with the masking rules of ShopperData. A failure here leaves
        // the shopper marked erased with events still to mask: repeating the command finishes it.
        await store.Advanced.ApplyEventDataMasking(
            masking =>
            {
                masking.ForTenant(session.TenantId);
                foreach (var id in contactIds.Concat(signUpIds))
                {
                    masking.IncludeStream(id);
                }
            },
            cancellationToken);

        return new EraseShopperResult(true, alreadyErased, contactIds, signUpIds);
    }

    /// <summary>
    /// Sign-ups received moments ago that the contact-linking step has not reached yet: found by the
    /// shopper's current email or phone (stored normalised), so they are erased too and never linked.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> NotYetLinkedAsync(Shopper shopper, CancellationToken cancellationToken)
    {
        if (shopper.Email is null && shopper.Phone is null)
        {
            return [];
        }

        return await session.Query<SignUpSummary>()
            .Where(s => s.ContactId == null && ((shopper.Email != null && s.Email == shopper.Email) || (shopper.Phone != null && s.Phone == shopper.Phone)))
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
    }
}
