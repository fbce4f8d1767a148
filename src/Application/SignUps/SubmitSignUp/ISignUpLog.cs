using CustomerInfo.Domain.SignUps;

namespace CustomerInfo.Application.SignUps.SubmitSignUp;

/// <summary>
/// Where sign-ups are written: each one starts its own event stream, keyed by its submission id,
/// in its store's part of the event log. The write is durable (committed) when the task completes.
/// </summary>
public interface ISignUpLog
{
    /// <summary>
    /// Starts the sign-up's stream with <paramref name="submitted"/>. False when a stream with that
    /// id already exists in the store: the sign-up was received before and nothing new is stored.
    /// </summary>
    Task<bool> StartAsync(Guid tenantId, SignUpSubmitted submitted, CancellationToken cancellationToken);
}
