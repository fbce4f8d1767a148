using CustomerInfo.Web.Pages.Store;

namespace CustomerInfo.UnitTests.Web.Pages;

public class FormTemplateTests
{
    [Theory]
    [InlineData("<form><input value=\"TOKEN\"><input value=\"ID\"></form>")]
    [InlineData("<form><input value=\"ID\"><input value=\"TOKEN\"></form>")]
    public void A_page_is_filled_with_new_values_wherever_the_old_ones_were(string html)
    {
        var template = EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldNotBeNull();

        template.Fill("t2", "i2").ShouldBe(html.Replace("TOKEN", "t2", StringComparison.Ordinal).Replace("ID", "i2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<form><input value=\"ID\"></form>")]
    [InlineData("<form><input value=\"TOKEN\"></form>")]
    [InlineData("<form>TOKEN TOKEN ID</form>")]
    [InlineData("<form>TOKEN ID ID</form>")]
    [InlineData("<form>TOKID</form>")]
    public void A_page_where_a_value_is_missing_twice_or_overlapping_is_not_kept(string html)
    {
        EmptyFormCache.FormTemplate.TryCut(html, "TOKEN", "ID").ShouldBeNull();
        EmptyFormCache.FormTemplate.TryCut(html, "TOK", "KID").ShouldBeNull();
    }
}
