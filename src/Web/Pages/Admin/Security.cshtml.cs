using CustomerInfo.Application.Accounts.TwoFactor;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using CustomerInfo.Web.Abuse;
using CustomerInfo.Web.Resources;
using CustomerInfo.Web.Security;
using CustomerInfo.Web.Stores;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CustomerInfo.Web.Pages.Admin;

/// <summary>
/// Every member's own account security: setting up an authenticator app for two-factor sign-in,
/// the recovery codes (shown once), turning it off. Where the team's rule sends an Owner who has
/// no second factor yet (<see cref="OwnerTwoFactorRule"/>).
/// </summary>
[RequestBodyLimit(RequestBodyLimitAttribute.OwnerFormBytes)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class SecurityModel(ISender sender, ITenantContext tenant, IStringLocalizer<AdminText> text) : PageModel
{
    public const string Issuer = "CustomerInfo";

    public AccountSecurity Security { get; private set; } = new(false, null, 0, false, "");

    /// <summary>Recovery codes just made: shown on this response only, never again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    /// <summary>Sent here by the team's rule (?required=true).</summary>
    public bool SentByTeamRule { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string? Refusal { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Proof { get; set; }

    public async Task OnGetAsync(bool required = false, CancellationToken cancellationToken = default)
    {
        SentByTeamRule = required;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        var change = await TrySendAsync(new EnableTwoFactorCommand(Code), nameof(Code), cancellationToken);
        if (change?.Outcome == TwoFactorOutcome.Done)
        {
            await RenewSessionAsync(change.Member!);
            NewRecoveryCodes = change.RecoveryCodes;
            Done = null;
            await LoadAsync(cancellationToken);
            return Page();
        }

        if (change is not null && change.Outcome != TwoFactorOutcome.AlreadyEnabled)
        {
            ModelState.AddModelError(nameof(Code), text["WrongCode"]);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRenewAsync(CancellationToken cancellationToken)
    {
        var change = await sender.Send(new RenewRecoveryCodesCommand(), cancellationToken);
        NewRecoveryCodes = change.RecoveryCodes;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        var change = await TrySendAsync(new DisableTwoFactorCommand(Proof), nameof(Proof), cancellationToken);
        switch (change?.Outcome)
        {
            case TwoFactorOutcome.Done:
                await RenewSessionAsync(change.Member!);
                Done = text["TwoFactorTurnedOff"];
                return RedirectToPage();
            case TwoFactorOutcome.RequiredForOwners:
                Refusal = text["TwoFactorRequiredCannotDisable"];
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            case TwoFactorOutcome.WrongCode:
                ModelState.AddModelError(nameof(Proof), text["WrongProof"]);
                break;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public string QrCode() =>
        KioskLinkQrCode.Svg(Totp.OtpAuthUri(Issuer, $"{tenant.RequiredTenant.Name} ({Security.Email})", Security.SetupKey!), text["AuthenticatorQr"]);

    public string GroupedKey() => Totp.Grouped(Security.SetupKey!);

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Security = await sender.Send(new GetAccountSecurityCommand(), cancellationToken);

    /// <summary>Sends the command; a validation failure becomes the field's error, not an exception.</summary>
    private async Task<TwoFactorChange?> TrySendAsync(ICommand<TwoFactorChange> command, string field, CancellationToken cancellationToken)
    {
        try
        {
            return await sender.Send(command, cancellationToken);
        }
        catch (FluentValidation.ValidationException validation)
        {
            foreach (var error in validation.Errors)
            {
                ModelState.AddModelError(field, ValidationText.For(error));
            }

            return null;
        }
    }

    /// <summary>Turning two-factor sign-in on or off renews the security stamp, which ends every session: this one goes on.</summary>
    private Task RenewSessionAsync(TeamMember member) =>
        HttpContext.SignInAsync(MemberAuthentication.Scheme, MemberAuthentication.Principal(tenant.RequiredTenant.Id, member));
}
