using CustomerInfo.Application.Accounts;
using CustomerInfo.Application.Accounts.FindMyStores;
using CustomerInfo.Application.Accounts.ForgotPassword;
using CustomerInfo.Domain.Accounts;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerInfo.Infrastructure.Accounts;

internal static class AccountsConfiguration
{
    public const string MemberEmailIndex = "ux_team_member_email";

    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(5);
    public const int LockoutAttempts = 5;

    /// <summary>The account documents and events, so 'resources setup' creates their tables (ADR 12).</summary>
    public static void Configure(Marten.StoreOptions options)
    {
        // One account per address and tenant; the same address may belong to several tenants.
        options.Schema.For<TeamMember>().UniqueIndex(UniqueIndexType.Computed, MemberEmailIndex, TenancyScope.PerTenant, m => m.NormalizedEmail);
        // The apex sign-in finds an address in every tenant (AnyTenant) and needs to know whose account it found.
        options.Schema.For<TeamMember>().Metadata(m => m.TenantId.MapTo(x => x.TenantId));
        options.Schema.For<PasswordResetRequest>();
        options.Schema.For<StoreLinksRequest>().SingleTenanted();
        options.Schema.For<Invitation>().Index(i => i.TokenHash);
        options.Schema.For<ServerSession>().SingleTenanted().Index(s => s.MemberId);
        options.Schema.For<SpentToken>().SingleTenanted();
        options.Schema.For<ThrottledKey>().SingleTenanted();
        options.Events.AddEventTypes(
        [
            typeof(MemberJoined), typeof(MemberEmailConfirmed), typeof(MemberPasswordChanged), typeof(MemberRoleChanged),
            typeof(MemberRemoved), typeof(MemberInvited), typeof(InvitationRevoked),
            typeof(MemberSignedIn), typeof(MemberTwoFactorEnabled), typeof(MemberTwoFactorDisabled),
            typeof(MemberRecoveryCodeUsed), typeof(MemberRecoveryCodesRenewed),
        ]);
    }

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<TeamMember>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.User.AllowedUserNameCharacters = null!;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = LockoutAttempts;
                options.Lockout.DefaultLockoutTimeSpan = LockoutTime;
            })
            .AddUserStore<MartenTeamMemberStore>()
            .AddTokenProvider<AuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider);

        // Our policy replaces Identity's composition rules (digits, capitals...): PasswordPolicy says why.
        services.RemoveAll<IPasswordValidator<TeamMember>>();
        services.AddScoped<IPasswordValidator<TeamMember>, PasswordPolicyValidator>();

        // The same store instance as Identity's, for setting a key without renewing the security stamp.
        services.AddScoped<IUserAuthenticatorKeyStore<TeamMember>>(sp => (MartenTeamMemberStore)sp.GetRequiredService<IUserStore<TeamMember>>());
        services.AddScoped<Application.Accounts.TwoFactor.CurrentMember>();
        services.AddSingleton<MartenTicketStore>();
        services.AddSingleton<ISessions>(sp => sp.GetRequiredService<MartenTicketStore>());
        services.AddSingleton<AccountTokens>();
        services.AddScoped<NewMembers>();
        services.AddScoped<TokenLinks>();
        services.AddSingleton<AccountThrottle>();
        services.AddScoped<Application.Team.TeamChanges>();
        return services;
    }
}
