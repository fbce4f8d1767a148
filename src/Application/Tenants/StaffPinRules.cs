using CustomerInfo.Domain.Tenants;
using FluentValidation;

namespace CustomerInfo.Application.Tenants;

/// <summary>The rules of a staff PIN, for the tenant-wide PIN and each store's own.</summary>
public static class StaffPinRules
{
    public static IRuleBuilderOptions<T, string?> ValidStaffPin<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(StaffPin.IsWellFormed).WithMessage($"A staff PIN is {StaffPin.MinLength} to {StaffPin.MaxLength} digits.")
            .Must(pin => !StaffPin.IsEasyToGuess(pin!)).WithMessage("This PIN is too easy to guess (one digit repeated, digits counting up or down, a repeated pair, a keypad column). Choose another.");
}
