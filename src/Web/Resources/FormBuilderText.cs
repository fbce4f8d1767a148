namespace CustomerInfo.Web.Resources;

/// <summary>The text of the form builder and its preview (FormBuilderText.resx, FormBuilderText.nl.resx), read through IStringLocalizer&lt;FormBuilderText&gt;.</summary>
public sealed class FormBuilderText;
