using System.Globalization;
using System.Text.RegularExpressions;
using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Domain.Tenants;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Tenants.SetCustomPrice;

/// <summary>
/// The platform owner gives one tenant its own Stripe price per store (how the version-1 retailers
/// keep theirs), with its amount for the MRR; both empty returns the tenant to its plan's price.
/// The amount is text as typed ("29.50" or "29,50"), read by <see cref="CustomPrice.TryReadAmount"/>.
/// </summary>
[PlatformOwnerOnly]
public sealed record SetCustomPriceCommand(Guid TenantId, string? StorePriceId, string? PricePerStore) : ICommand<TenantChange>;

/// <summary>The rules of a custom price, in one place for the validator and the handler.</summary>
public static partial class CustomPrice
{
    public const decimal MaxPerStore = 10_000m;

    /// <summary>Stripe's price ids: <c>price_</c> and letters and digits (Stripe's ids are at most 255 characters).</summary>
    public static bool IsPriceId(string? value) => value is not null && PriceId().IsMatch(value);

    /// <summary>An amount per store: positive, at most two decimals, with a point or a comma.</summary>
    public static bool TryReadAmount(string? text, out decimal amount)
    {
        amount = 0;
        var clean = text?.Trim().Replace(',', '.');
        return !string.IsNullOrEmpty(clean)
            && decimal.TryParse(clean, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount)
            && amount > 0 && amount <= MaxPerStore && decimal.Round(amount, 2) == amount;
    }

    public static bool IsClear(SetCustomPriceCommand command) =>
        string.IsNullOrWhiteSpace(command.StorePriceId) && string.IsNullOrWhiteSpace(command.PricePerStore);

    [GeneratedRegex("^price_[A-Za-z0-9]{1,249}$")]
    private static partial Regex PriceId();
}

public sealed class SetCustomPriceValidator : AbstractValidator<SetCustomPriceCommand>
{
    public SetCustomPriceValidator()
    {
        RuleFor(c => c.TenantId).NotEmpty();
        When(c => !CustomPrice.IsClear(c), () =>
        {
            RuleFor(c => c.StorePriceId)
                .Must(id => CustomPrice.IsPriceId(id?.Trim()))
                .WithMessage("Enter the Stripe price id as Stripe shows it, e.g. price_1PqR2sT3uV4w: \"price_\" and then letters and digits.");
            RuleFor(c => c.PricePerStore)
                .Must(amount => CustomPrice.TryReadAmount(amount, out _))
                .WithMessage($"Enter the amount per store per month, e.g. 24.50: more than 0 and at most {CustomPrice.MaxPerStore:0}, with at most two decimals.");
        });
    }
}

public sealed class SetCustomPriceHandler(TenantFacts facts, IClock clock) : ICommandHandler<SetCustomPriceCommand, TenantChange>
{
    public async ValueTask<TenantChange> Handle(SetCustomPriceCommand command, CancellationToken cancellationToken)
    {
        var fact = CustomPrice.IsClear(command)
            ? new TenantFact.SetCustomPrice(null, clock.UtcNow)
            : new TenantFact.SetCustomPrice(command.StorePriceId!.Trim(), clock.UtcNow, CustomPrice.TryReadAmount(command.PricePerStore, out var amount) ? amount : null);
        return await facts.RecordAsync(command.TenantId, fact, cancellationToken);
    }
}
