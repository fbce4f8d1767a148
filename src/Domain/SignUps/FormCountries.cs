namespace CustomerInfo.Domain.SignUps;

/// <summary>
/// The countries a store can be in (ISO 3166-1 alpha-2): the EU, the rest of the EEA, the UK and
/// Switzerland. Local phone numbers on the kiosk are read in the store's country's numbering plan.
/// </summary>
public static class FormCountries
{
    /// <summary>Codes with their English and Dutch names, in English alphabetical order.</summary>
    public static readonly IReadOnlyList<FormCountry> All =
    [
        new("AT", "Austria", "Oostenrijk"),
        new("BE", "Belgium", "België"),
        new("BG", "Bulgaria", "Bulgarije"),
        new("HR", "Croatia", "Kroatië"),
        new("CY", "Cyprus", "Cyprus"),
        new("CZ", "Czechia", "Tsjechië"),
        new("DK", "Denmark", "Denemarken"),
        new("EE", "Estonia", "Estland"),
        new("FI", "Finland", "Finland"),
        new("FR", "France", "Frankrijk"),
        new("DE", "Germany", "Duitsland"),
        new("GR", "Greece", "Griekenland"),
        new("HU", "Hungary", "Hongarije"),
        new("IS", "Iceland", "IJsland"),
        new("IE", "Ireland", "Ierland"),
        new("IT", "Italy", "Italië"),
        new("LV", "Latvia", "Letland"),
        new("LI", "Liechtenstein", "Liechtenstein"),
        new("LT", "Lithuania", "Litouwen"),
        new("LU", "Luxembourg", "Luxemburg"),
        new("MT", "Malta", "Malta"),
        new("NL", "Netherlands", "Nederland"),
        new("NO", "Norway", "Noorwegen"),
        new("PL", "Poland", "Polen"),
        new("PT", "Portugal", "Portugal"),
        new("RO", "Romania", "Roemenië"),
        new("SK", "Slovakia", "Slowakije"),
        new("SI", "Slovenia", "Slovenië"),
        new("ES", "Spain", "Spanje"),
        new("SE", "Sweden", "Zweden"),
        new("CH", "Switzerland", "Zwitserland"),
        new("GB", "United Kingdom", "Verenigd Koninkrijk"),
    ];

    public static bool IsKnown(string? code) => code is not null && All.Any(c => string.Equals(c.Code, code, StringComparison.Ordinal));
}

/// <summary>A country a store can be in, named in each form language.</summary>
public sealed record FormCountry(string Code, string English, string Dutch)
{
    public string NameIn(string language) => language == FormLanguages.Dutch ? Dutch : English;
}
