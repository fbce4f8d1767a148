using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CustomerInfo.StripeFake;

/// <summary>An error answer in Stripe's shape: <c>{"error":{"type","code","message","param"}}</c> with its status.</summary>
public sealed record StripeError(int Status, string Type, string Message, string? Code = null, string? Param = null)
{
    public JsonObject ToJson()
    {
        var error = new JsonObject { ["type"] = Type, ["message"] = Message };
        if (Code is not null)
        {
            error["code"] = Code;
        }

        if (Param is not null)
        {
            error["param"] = Param;
        }

        return new JsonObject { ["error"] = error };
    }
}

/// <summary>The errors Stripe answers, with Stripe's wording.</summary>
public static class StripeErrors
{
    public static StripeError InvalidApiKey(string? authorization)
    {
        var key = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : null;
        var shown = key is { Length: > 4 } ? $"{key[..Math.Min(8, key.Length - 4)]}{new string('*', 8)}{key[^4..]}" : key;
        return key is null
            ? new StripeError(401, "invalid_request_error", "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').")
            : new StripeError(401, "invalid_request_error", $"Invalid API Key provided: {shown}", "api_key_invalid");
    }

    public static StripeError Missing(string param) =>
        new(400, "invalid_request_error", $"Missing required param: {param}.", "parameter_missing", param);

    public static StripeError Invalid(string param, string message) =>
        new(400, "invalid_request_error", message, "parameter_invalid", param);

    public static StripeError NoSuch(string objectName, string id, string param = "id") =>
        new(404, "invalid_request_error", $"No such {objectName}: '{id}'", "resource_missing", param);

    public static StripeError IdempotencyMismatch(string key) =>
        new(400, "idempotency_error", $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");

    public static StripeError RateLimited() =>
        new(429, "invalid_request_error", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit");

    public static StripeError ApiError() =>
        new(500, "api_error", "An unknown error occurred");

    public static async Task Write(HttpContext context, StripeError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToJson().ToJsonString());
    }

    /// <summary>The result of a route: Stripe's error, or the object as JSON with 200.</summary>
    public static IResult Result(StripeError error) => Results.Json(error.ToJson(), statusCode: error.Status);
}
