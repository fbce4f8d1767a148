using System.Reflection;
using NetArchTest.Rules;

namespace CustomerInfo.UnitTests.Architecture;

/// <summary>References point inward only: Domain ← Application ← Infrastructure ← Web.</summary>
public class LayerTests
{
    private static readonly Assembly Domain = typeof(CustomerInfo.Domain.Tenants.Tenant).Assembly;
    private static readonly Assembly Application = typeof(CustomerInfo.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(CustomerInfo.Infrastructure.DependencyInjection).Assembly;

    [Fact]
    public void Domain_depends_on_nothing_but_the_base_library()
    {
        Domain.GetReferencedAssemblies().Select(a => a.Name)
            .ShouldAllBe(name => name == "System.Runtime" || name!.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard");
        AssertNoDependency(Domain, "CustomerInfo.Application", "CustomerInfo.Infrastructure", "CustomerInfo.Web", "Marten", "Mediator", "FluentValidation");
    }

    [Fact]
    public void Application_does_not_depend_on_infrastructure_or_web() =>
        AssertNoDependency(Application, "CustomerInfo.Infrastructure", "CustomerInfo.Web", "Hangfire", "Npgsql");

    /// <summary>By assembly: a namespace rule "Stripe" would also match our own StripeOptions.</summary>
    [Fact]
    public void Only_infrastructure_knows_Stripe_net()
    {
        Application.GetReferencedAssemblies().Select(a => a.Name).ShouldNotContain("Stripe.net");
        Infrastructure.GetReferencedAssemblies().Select(a => a.Name).ShouldContain("Stripe.net");
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_web() =>
        AssertNoDependency(Infrastructure, "CustomerInfo.Web");

    [Fact]
    public void The_rule_itself_catches_a_dependency() =>
        Types.InAssembly(Infrastructure).ShouldNot().HaveDependencyOn("CustomerInfo.Application").GetResult().IsSuccessful.ShouldBeFalse();

    private static void AssertNoDependency(Assembly assembly, params string[] namespaces)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(namespaces).GetResult();
        result.IsSuccessful.ShouldBeTrue($"{assembly.GetName().Name} depends on {string.Join(", ", namespaces)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
