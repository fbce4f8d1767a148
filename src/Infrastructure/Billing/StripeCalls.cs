using CustomerInfo.Application.Billing;
using Stripe;

namespace CustomerInfo.Infrastructure.Billing;

/// <summary>
/// Every Stripe call goes through <see cref="RunAsync{T}"/>: Stripe.net's exceptions become the
/// port's (<see cref="StripeUnavailableException"/> to try again, <see cref="StripeRefusedException"/>
/// with Stripe's message), and a timeout is "unavailable", not a crash. Messages never hold the key.
/// </summary>
internal static class StripeCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (StripeException failure) when (IsTransient(failure))
        {
            throw new StripeUnavailableException($"Stripe answered {(int)failure.HttpStatusCode}: {failure.StripeError?.Message ?? failure.Message}", failure);
        }
        catch (StripeException failure)
        {
            throw new StripeRefusedException(failure.StripeError?.Message ?? failure.Message, failure.StripeError?.Code, failure);
        }
        catch (HttpRequestException failure)
        {
            throw new StripeUnavailableException($"Stripe could not be reached: {failure.Message}", failure);
        }
        catch (TaskCanceledException failure) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StripeUnavailableException("Stripe did not answer in time.", failure);
        }
    }

    public static Task RunAsync(Func<Task> call, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    private static bool IsTransient(StripeException failure) =>
        (int)failure.HttpStatusCode is 429 or >= 500 or 0
        || failure.StripeError?.Type is "api_error" or "api_connection_error";
}
