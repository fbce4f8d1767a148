using System.Security.Cryptography;
using System.Text;
using Mediator;

namespace CustomerInfo.Application.Crm.Push;

/// <summary>
/// One sign-up's push (a Manager's retry, a queued history, a withdrawn consent): the batch of one,
/// <see cref="PushSignUpsToCrmCommand"/>, with the same outcomes, retries and failure (ADR 19). Its
/// retry is scheduled as a batch of one.
/// </summary>
public sealed class PushSignUpToCrmHandler(ISender sender) : ICommandHandler<PushSignUpToCrmCommand>
{
    /// <summary>A sign-up received this long after the shopper filled it in came from a tablet's offline queue.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    public ValueTask<Unit> Handle(PushSignUpToCrmCommand command, CancellationToken cancellationToken) =>
        sender.Send(new PushSignUpsToCrmCommand(command.TenantId, [command.SignUpId], command.Trigger, command.Attempt, command.Store, command.Crm), cancellationToken);

    /// <summary>
    /// The id every attempt of one push carries: the same for the same connection, sign-up and
    /// change, new for a new connection (a switch of CRM) or a later change of the contact.
    /// </summary>
    public static string DeliveryId(Guid connectionId, Guid signUpId, long trigger)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{connectionId:N}:{signUpId:N}:{trigger}"));
        return "msg_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>Exponential back-off from the first delay, doubled per attempt, with ±20% jitter, capped; never sooner than the CRM asked.</summary>
    public static TimeSpan Delay(CrmOptions options, int attempt, TimeSpan? retryAfter, double jitter)
    {
        var seconds = Math.Min(options.MaxRetryDelaySeconds, options.FirstRetryDelaySeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        var backOff = TimeSpan.FromSeconds(seconds * (0.8 + (0.4 * jitter)));
        return retryAfter is { } asked && asked > backOff ? asked : backOff;
    }
}

/// <summary>
/// A push ended in "failed" (its last attempt, or a refusal retrying cannot change); the outcome is
/// stored already. Hangfire does not retry it by itself (HangfireConfiguration), but shows it as
/// failed, with <see cref="Exception.Message"/> (the CRM's reason, without personal data).
/// </summary>
public sealed class CrmPushGaveUpException(string reason) : Exception(reason);
