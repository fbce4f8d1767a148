using CustomerInfo.Application.Common.Behaviours;
using CustomerInfo.Application.Common.Text;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerInfo.UnitTests.Application.Common;

public class ValidationBehaviourTests
{
    public sealed record Greet(string? Name, int Times) : ICommand<string>;

    private sealed class NameValidator : AbstractValidator<Greet>
    {
        public NameValidator() => RuleFor(g => g.Name).NotEmpty().WithMessage("Enter a name.");
    }

    private sealed class TimesValidator : AbstractValidator<Greet>
    {
        public TimesValidator() => RuleFor(g => g.Times).InclusiveBetween(1, 3).WithMessage("Between 1 and 3.");
    }

    private static ValueTask<string> Handler(Greet message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.Concat(Enumerable.Repeat("hi " + message.Name + ";", message.Times)));

    [Fact]
    public async Task A_valid_message_reaches_the_handler()
    {
        var behaviour = new ValidationBehaviour<Greet, string>([new NameValidator(), new TimesValidator()]);
        (await behaviour.Handle(new Greet("Ann", 2), Handler, CancellationToken.None)).ShouldBe("hi Ann;hi Ann;");
    }

    [Fact]
    public async Task Failures_of_every_validator_are_thrown_together_and_the_handler_never_runs()
    {
        var handled = false;
        var behaviour = new ValidationBehaviour<Greet, string>([new NameValidator(), new TimesValidator()]);

        var exception = await Should.ThrowAsync<ValidationException>(async () => await behaviour.Handle(
            new Greet("", 9),
            (m, ct) => { handled = true; return Handler(m, ct); },
            CancellationToken.None));

        handled.ShouldBeFalse();
        exception.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ShouldBe(
            [("Name", "Enter a name."), ("Times", "Between 1 and 3.")], ignoreOrder: true);
    }

    [Fact]
    public async Task A_message_without_validators_passes_through() =>
        (await new ValidationBehaviour<Greet, string>([]).Handle(new Greet(null, 1), Handler, CancellationToken.None)).ShouldBe("hi ;");

    public sealed record Note(string? Title, string? Body, IReadOnlyList<string>? Tags, IReadOnlyDictionary<string, string?>? Settings) : ICommand<string>;

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0001")]
    [InlineData("\u001b[31m")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    public async Task A_control_character_in_a_field_no_validator_checks_is_refused_on_that_field(string hostile)
    {
        var handled = false;
        var exception = await Should.ThrowAsync<ValidationException>(async () => await new ValidationBehaviour<Note, string>([new BodyValidator()]).Handle(
            new Note("a" + hostile, "fine", ["ok", hostile], new Dictionary<string, string?> { ["url"] = "x" + hostile }),
            (_, _) => { handled = true; return ValueTask.FromResult(""); },
            CancellationToken.None));

        handled.ShouldBeFalse();
        exception.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ShouldBe(
            [("Title", ControlCharacters.Refused), ("Tags", ControlCharacters.Refused), ("Settings", ControlCharacters.Refused)]);
    }

    private sealed class BodyValidator : AbstractValidator<Note>
    {
        public BodyValidator() => RuleFor(n => n.Body).NotEmpty().WithMessage("Write something.");
    }

    [Fact]
    public async Task Line_breaks_and_tabs_are_text_and_pass() =>
        (await new ValidationBehaviour<Note, string>([new BodyValidator()]).Handle(new Note("Title\t1", "Line one\r\nLine two\n", ["a\tb"], null), (_, _) => ValueTask.FromResult("ok"), CancellationToken.None)).ShouldBe("ok");

    [Fact]
    public async Task A_field_whose_own_rule_speaks_gets_only_that_message()
    {
        var exception = await Should.ThrowAsync<ValidationException>(async () => await new ValidationBehaviour<Greet, string>([new NameValidator(), new NoControlInName()]).Handle(
            new Greet("A\0", 2), Handler, CancellationToken.None));

        exception.Errors.ShouldHaveSingleItem().ErrorMessage.ShouldBe("The name can't contain that.");
    }

    private sealed class NoControlInName : AbstractValidator<Greet>
    {
        public NoControlInName() => RuleFor(g => g.Name).Must(n => n is null || !n.Any(char.IsControl)).WithMessage("The name can't contain that.");
    }

    [Fact]
    public async Task The_logging_behaviour_passes_results_and_exceptions_through()
    {
        var behaviour = new LoggingBehaviour<Greet, string>(NullLogger<LoggingBehaviour<Greet, string>>.Instance);
        (await behaviour.Handle(new Greet("Bo", 1), Handler, CancellationToken.None)).ShouldBe("hi Bo;");
        await Should.ThrowAsync<ValidationException>(async () => await behaviour.Handle(new Greet("Bo", 1), (_, _) => throw new ValidationException("bad"), CancellationToken.None));
        await Should.ThrowAsync<InvalidOperationException>(async () => await behaviour.Handle(new Greet("Bo", 1), (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_went_away_is_not_logged_as_a_failure_but_a_real_failure_is_an_error()
    {
        var logger = new ListLogger();
        var behaviour = new LoggingBehaviour<Greet, string>(logger);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () => await behaviour.Handle(
            new Greet("Bo", 1), (_, ct) => ValueTask.FromCanceled<string>(ct), gone.Token));
        await Should.ThrowAsync<OperationCanceledException>(async () => await behaviour.Handle(
            new Greet("Bo", 1), (_, _) => throw new OperationCanceledException("a time-out of our own"), CancellationToken.None));

        logger.Entries.ShouldBe([LogLevel.Information, LogLevel.Error]);
    }

    private sealed class ListLogger : ILogger<LoggingBehaviour<Greet, string>>
    {
        public List<LogLevel> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(logLevel);
    }
}
