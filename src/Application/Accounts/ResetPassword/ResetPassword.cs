using CustomerInfo.Application.Common;
using CustomerInfo.Application.Common.Security;
using CustomerInfo.Application.Common.Tenancy;
using CustomerInfo.Domain.Accounts;
using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Identity;

namespace CustomerInfo.Application.Accounts.ResetPassword;

/// <summary>Whether a reset link still works, before its page offers the form.</summary>
[Anyone]
public sealed record CheckResetLinkQuery(string? Token) : IQuery<AccountTokenCheck>;

public sealed class CheckResetLinkHandler(IQuerySession session, ITenantContext tenant, AccountTokens tokens, IClock clock)
    : IQueryHandler<CheckResetLinkQuery, AccountTokenCheck>
{
    public async ValueTask<AccountTokenCheck> Handle(CheckResetLinkQuery query, CancellationToken cancellationToken) =>
        (await ResetLinks.ReadAsync(session, tenant, tokens, clock, query.Token, cancellationToken)).Check;
}

/// <summary>Sets a new password through a reset link: the link is spent, every session of the member ends.</summary>
[Anyone]
public sealed record ResetPasswordCommand(string? Token, string? Password) : ICommand<AccountTokenCheck>;

public sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordCommand>
{
    public ResetPasswordValidator() =>
        RuleFor(c => c.Password).Custom((password, context) =>
        {
            if (PasswordPolicy.Problem(password) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
}

/// <summary>
/// One transaction: the spent token (a second use fails on its unique id), the new hash and security
/// stamp (which kill every other reset link), the lockout cleared, <see cref="MemberPasswordChanged"/>,
/// and the member's sessions deleted. Returns <see cref="AccountTokenCheck.Valid"/> when the password changed.
/// </summary>
public sealed class ResetPasswordHandler(
    IDocumentSession session, ITenantContext tenant, AccountTokens tokens, IPasswordHasher<TeamMember> hasher, ISessions sessions, IClock clock)
    : ICommandHandler<ResetPasswordCommand, AccountTokenCheck>
{
    public async ValueTask<AccountTokenCheck> Handle(ResetPasswordCommand command, CancellationToken cancellationToken)
    {
        var (check, token, member) = await ResetLinks.ReadAsync(session, tenant, tokens, clock, command.Token, cancellationToken);
        if (check != AccountTokenCheck.Valid)
        {
            return check;
        }

        var now = clock.UtcNow;
        session.Insert(new SpentToken(token!.Nonce, token.ExpiresAt));
        member!.PasswordHash = hasher.HashPassword(member, command.Password!);
        member.SecurityStamp = NewMembers.NewStamp();
        member.AccessFailedCount = 0;
        member.LockoutEnd = null;
        session.Update(member);
        session.Events.Append(member.Id, new MemberPasswordChanged(member.Id, now));
        sessions.EndAllOf(session, tenant.RequiredTenant.Id, member.Id);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (PostgresErrors.IsUniqueViolation(exception) || exception is JasperFx.DocumentAlreadyExistsException)
        {
            // Two tabs sent one link at once: the first changed the password.
            return AccountTokenCheck.Used;
        }

        return AccountTokenCheck.Valid;
    }
}

internal static class ResetLinks
{
    public static async Task<(AccountTokenCheck Check, AccountToken? Token, TeamMember? Member)> ReadAsync(
        IQuerySession session, ITenantContext tenant, AccountTokens tokens, IClock clock, string? value, CancellationToken cancellationToken)
    {
        var token = tokens.Read(value);
        var member = token is null ? null : await session.LoadAsync<TeamMember>(token.MemberId, cancellationToken);
        var check = AccountTokenRules.Check(token, AccountTokenPurpose.ResetPassword, tenant.RequiredTenant.Id, member, clock.UtcNow);
        if (check == AccountTokenCheck.Valid && await session.LoadAsync<SpentToken>(token!.Nonce, cancellationToken) is not null)
        {
            check = AccountTokenCheck.Used;
        }

        return (check, token, member);
    }
}
