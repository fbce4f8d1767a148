using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CustomerInfo.StripeFake;

public sealed partial class StripeFakeServer
{
    /// <summary><c>POST /v1/customers</c>, <c>GET /v1/customers/{id}</c>: name, email and metadata are kept.</summary>
    private void MapCustomers(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/customers", (HttpContext context) =>
        {
            var request = StripeFakeRequest.Of(context);
            var customer = StripeFixtures.New("customer");
            customer["id"] = StripeFakeState.NewId("cus");
            customer["created"] = State.Now.ToUnixTimeSeconds();
            customer["name"] = request.Param("name");
            customer["email"] = request.Param("email");
            customer["metadata"] = request.Params["metadata"]?.DeepClone() ?? new JsonObject();
            customer["discount"] = null;
            customer["currency"] = null;
            lock (State.Gate)
            {
                State.Put(customer);
            }

            return Results.Json(customer.DeepClone());
        });
        routes.MapGet("/v1/customers/{id}", (string id) =>
            State.Get(id) is { } customer && customer["object"]?.ToString() == "customer"
                ? Results.Json(customer)
                : StripeErrors.Result(StripeErrors.NoSuch("customer", id)));
    }

    /// <summary><c>GET /v1/events/{id}</c>: the events the fake sent.</summary>
    private void MapEvents(IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/events/{id}", (string id) =>
            State.Get(id) is { } stripeEvent && stripeEvent["object"]?.ToString() == "event"
                ? Results.Json(stripeEvent)
                : StripeErrors.Result(StripeErrors.NoSuch("event", id)));
}
