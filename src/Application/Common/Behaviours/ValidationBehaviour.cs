using CustomerInfo.Application.Common.Text;
using FluentValidation;
using Mediator;

namespace CustomerInfo.Application.Common.Behaviours;

/// <summary>
/// The one place validation happens: every validator of the message runs before its handler,
/// and all their failures are thrown together as one <see cref="ValidationException"/>. Every
/// message's strings also get the shared rule of <see cref="ControlCharacters"/> (ADR 33), so a
/// field whose validator forgot it still answers with its field's message, not a 500.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private readonly IValidator<TMessage>[] validators = validators.ToArray();

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        // Only a message with validators: its page is built to show failures again. A command with
        // none (StartCheckout's plan id) would render a page without its model; the store's converter covers it.
        var unshowable = validators.Length > 0 ? ControlCharacters.FailuresOf(message) : null;
        if (validators.Length > 0)
        {
            var failures = new List<FluentValidation.Results.ValidationFailure>();
            foreach (var validator in validators)
            {
                var result = await validator.ValidateAsync(message, cancellationToken);
                failures.AddRange(result.Errors);
            }

            // The shared rule speaks only for a field whose own rules said nothing: one message a field.
            foreach (var failure in unshowable ?? [])
            {
                if (!failures.Exists(f => IsOf(f.PropertyName, failure.PropertyName)))
                {
                    failures.Add(failure);
                }
            }

            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }
        }

        return await next(message, cancellationToken);
    }

    /// <summary>Whether a failure's property is <paramref name="property"/> or inside it ("Settings[url]", "Answers.Key").</summary>
    private static bool IsOf(string failed, string property) =>
        failed.StartsWith(property, StringComparison.Ordinal) && (failed.Length == property.Length || failed[property.Length] is '[' or '.');
}
