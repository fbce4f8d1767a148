using CustomerInfo.Application.Brand;
using Mediator;
using Microsoft.Net.Http.Headers;

namespace CustomerInfo.Web.Brand;

/// <summary>
/// The kiosk's logo at <c>/brand/logo/{fingerprint}</c> on the store's host. The address changes
/// with the bytes, so it is cached for a year; a fingerprint of another store, or of none, is a 404.
/// </summary>
public static class BrandLogoEndpoint
{
    public const string Route = "/brand/logo/{fingerprint}";

    public static async Task<IResult> ServeAsync(string fingerprint, ISender sender, HttpContext http, CancellationToken cancellationToken)
    {
        if (await sender.Send(new GetBrandImageQuery(fingerprint), cancellationToken) is not { } image)
        {
            return Results.NotFound();
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(image.Bytes, image.ContentType, entityTag: new EntityTagHeaderValue($"\"{image.Id}\""));
    }
}
