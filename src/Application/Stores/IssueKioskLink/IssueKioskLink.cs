using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Stores.IssueKioskLink;

/// <summary>A new kiosk link for one of the store's tablets; the result carries its id. A closed store gets none.</summary>
[RequiresRole(TeamRole.Manager)]
public sealed record IssueKioskLinkCommand(Guid StoreId, string? Label = null) : ICommand<StoreChangeResult>;

public sealed class IssueKioskLinkValidator : AbstractValidator<IssueKioskLinkCommand>
{
    public IssueKioskLinkValidator()
    {
        RuleFor(c => c.Label).Must(label => (label?.Trim().Length ?? 0) <= StoreRules.LabelMaxLength)
            .WithMessage($"A link's label is at most {StoreRules.LabelMaxLength} characters.");
    }
}

public sealed class IssueKioskLinkHandler(StoreStreams streams, IClock clock) : ICommandHandler<IssueKioskLinkCommand, StoreChangeResult>
{
    public async ValueTask<StoreChangeResult> Handle(IssueKioskLinkCommand command, CancellationToken cancellationToken)
    {
        var linkId = Guid.NewGuid();
        var result = await streams.ChangeAsync(command.StoreId, store =>
            StoreDecisions.Issue(store, linkId, command.Label, KioskTokens.New(), clock.UtcNow) is { } issued
                ? ([issued], StoreChangeResult.Done)
                : (null, StoreChangeResult.StoreClosed),
            cancellationToken);
        return result.IsDone ? result with { LinkId = linkId } : result;
    }
}
