using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using NetEscapades.AspNetCore.SecurityHeaders;

namespace CustomerInfo.Web.Security;

/// <summary>
/// <c>&lt;script asp-add-nonce&gt;</c> or <c>&lt;style asp-add-nonce&gt;</c>: the element gets this
/// response's Content-Security-Policy nonce (<see cref="SecurityHeaders"/>), so it may be inline.
/// Never on markup that is kept and served again (the kiosk's empty form): use a hash there.
/// </summary>
[HtmlTargetElement("script", Attributes = AttributeName)]
[HtmlTargetElement("style", Attributes = AttributeName)]
public sealed class NonceTagHelper : TagHelper
{
    private const string AttributeName = "asp-add-nonce";

    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.Attributes.RemoveAll(AttributeName);
        output.Attributes.SetAttribute("nonce", ViewContext.HttpContext.GetNonce());
    }
}
