"""The currencies money can be kept in: ISO 4217's active codes, with their English names.

Nothing installed carries the ISO list (Python has none; Babel, pycountry and django-money are
not dependencies), so it is kept here, current to the 2025 amendments: ANG gave way to XCG,
ZWL to ZWG, SLL to SLE, HRK and BGN to the euro. XTS (testing) and XXX (no currency) are left
out: no amount is ever in them. Plain Python, so settings can check TANDEM_CURRENCY with it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

CURRENCIES: dict[str, str] = {
    "AED": "UAE dirham",
    "AFN": "Afghan afghani",
    "ALL": "Albanian lek",
    "AMD": "Armenian dram",
    "AOA": "Angolan kwanza",
    "ARS": "Argentine peso",
    "AUD": "Australian dollar",
    "AWG": "Aruban florin",
    "AZN": "Azerbaijani manat",
    "BAM": "Bosnia and Herzegovina convertible mark",
    "BBD": "Barbados dollar",
    "BDT": "Bangladeshi taka",
    "BHD": "Bahraini dinar",
    "BIF": "Burundian franc",
    "BMD": "Bermudian dollar",
    "BND": "Brunei dollar",
    "BOB": "Boliviano",
    "BOV": "Bolivian Mvdol (fund)",
    "BRL": "Brazilian real",
    "BSD": "Bahamian dollar",
    "BTN": "Bhutanese ngultrum",
    "BWP": "Botswana pula",
    "BYN": "Belarusian ruble",
    "BZD": "Belize dollar",
    "CAD": "Canadian dollar",
    "CDF": "Congolese franc",
    "CHE": "WIR euro (complementary)",
    "CHF": "Swiss franc",
    "CHW": "WIR franc (complementary)",
    "CLF": "Chilean unidad de fomento",
    "CLP": "Chilean peso",
    "CNY": "Chinese yuan renminbi",
    "COP": "Colombian peso",
    "COU": "Colombian unidad de valor real",
    "CRC": "Costa Rican colón",
    "CUP": "Cuban peso",
    "CVE": "Cape Verdean escudo",
    "CZK": "Czech koruna",
    "DJF": "Djiboutian franc",
    "DKK": "Danish krone",
    "DOP": "Dominican peso",
    "DZD": "Algerian dinar",
    "EGP": "Egyptian pound",
    "ERN": "Eritrean nakfa",
    "ETB": "Ethiopian birr",
    "EUR": "Euro",
    "FJD": "Fiji dollar",
    "FKP": "Falkland Islands pound",
    "GBP": "Pound sterling",
    "GEL": "Georgian lari",
    "GHS": "Ghanaian cedi",
    "GIP": "Gibraltar pound",
    "GMD": "Gambian dalasi",
    "GNF": "Guinean franc",
    "GTQ": "Guatemalan quetzal",
    "GYD": "Guyanese dollar",
    "HKD": "Hong Kong dollar",
    "HNL": "Honduran lempira",
    "HTG": "Haitian gourde",
    "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah",
    "ILS": "Israeli new shekel",
    "INR": "Indian rupee",
    "IQD": "Iraqi dinar",
    "IRR": "Iranian rial",
    "ISK": "Icelandic króna",
    "JMD": "Jamaican dollar",
    "JOD": "Jordanian dinar",
    "JPY": "Japanese yen",
    "KES": "Kenyan shilling",
    "KGS": "Kyrgyzstani som",
    "KHR": "Cambodian riel",
    "KMF": "Comorian franc",
    "KPW": "North Korean won",
    "KRW": "South Korean won",
    "KWD": "Kuwaiti dinar",
    "KYD": "Cayman Islands dollar",
    "KZT": "Kazakhstani tenge",
    "LAK": "Lao kip",
    "LBP": "Lebanese pound",
    "LKR": "Sri Lankan rupee",
    "LRD": "Liberian dollar",
    "LSL": "Lesotho loti",
    "LYD": "Libyan dinar",
    "MAD": "Moroccan dirham",
    "MDL": "Moldovan leu",
    "MGA": "Malagasy ariary",
    "MKD": "Macedonian denar",
    "MMK": "Myanmar kyat",
    "MNT": "Mongolian tögrög",
    "MOP": "Macanese pataca",
    "MRU": "Mauritanian ouguiya",
    "MUR": "Mauritian rupee",
    "MVR": "Maldivian rufiyaa",
    "MWK": "Malawian kwacha",
    "MXN": "Mexican peso",
    "MXV": "Mexican unidad de inversión",
    "MYR": "Malaysian ringgit",
    "MZN": "Mozambican metical",
    "NAD": "Namibian dollar",
    "NGN": "Nigerian naira",
    "NIO": "Nicaraguan córdoba",
    "NOK": "Norwegian krone",
    "NPR": "Nepalese rupee",
    "NZD": "New Zealand dollar",
    "OMR": "Omani rial",
    "PAB": "Panamanian balboa",
    "PEN": "Peruvian sol",
    "PGK": "Papua New Guinean kina",
    "PHP": "Philippine peso",
    "PKR": "Pakistani rupee",
    "PLN": "Polish złoty",
    "PYG": "Paraguayan guaraní",
    "QAR": "Qatari riyal",
    "RON": "Romanian leu",
    "RSD": "Serbian dinar",
    "RUB": "Russian ruble",
    "RWF": "Rwandan franc",
    "SAR": "Saudi riyal",
    "SBD": "Solomon Islands dollar",
    "SCR": "Seychelles rupee",
    "SDG": "Sudanese pound",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "SHP": "Saint Helena pound",
    "SLE": "Sierra Leonean leone",
    "SOS": "Somali shilling",
    "SRD": "Surinamese dollar",
    "SSP": "South Sudanese pound",
    "STN": "São Tomé and Príncipe dobra",
    "SVC": "Salvadoran colón",
    "SYP": "Syrian pound",
    "SZL": "Eswatini lilangeni",
    "THB": "Thai baht",
    "TJS": "Tajikistani somoni",
    "TMT": "Turkmenistan manat",
    "TND": "Tunisian dinar",
    "TOP": "Tongan paʻanga",
    "TRY": "Turkish lira",
    "TTD": "Trinidad and Tobago dollar",
    "TWD": "New Taiwan dollar",
    "TZS": "Tanzanian shilling",
    "UAH": "Ukrainian hryvnia",
    "UGX": "Ugandan shilling",
    "USD": "US dollar",
    "USN": "US dollar (next day)",
    "UYI": "Uruguay peso en unidades indexadas",
    "UYU": "Uruguayan peso",
    "UYW": "Uruguayan unidad previsional",
    "UZS": "Uzbekistani sum",
    "VED": "Venezuelan digital bolívar",
    "VES": "Venezuelan sovereign bolívar",
    "VND": "Vietnamese đồng",
    "VUV": "Vanuatu vatu",
    "WST": "Samoan tālā",
    "XAF": "Central African CFA franc",
    "XAG": "Silver (one troy ounce)",
    "XAU": "Gold (one troy ounce)",
    "XBA": "European composite unit",
    "XBB": "European monetary unit",
    "XBC": "European unit of account 9",
    "XBD": "European unit of account 17",
    "XCD": "East Caribbean dollar",
    "XCG": "Caribbean guilder",
    "XDR": "Special drawing rights (IMF)",
    "XOF": "West African CFA franc",
    "XPD": "Palladium (one troy ounce)",
    "XPF": "CFP franc",
    "XPT": "Platinum (one troy ounce)",
    "XSU": "Sucre",
    "XUA": "ADB unit of account",
    "YER": "Yemeni rial",
    "ZAR": "South African rand",
    "ZMW": "Zambian kwacha",
    "ZWG": "Zimbabwe gold",
}

# What a currency list offers: "EUR — Euro", so typing the code in the list jumps to it.
CURRENCY_CHOICES: list[tuple[str, str]] = [
    (code, f"{code} — {name}") for code, name in CURRENCIES.items()
]


def currency_choices() -> list[tuple[str, str]]:
    """The choices of a currency field; a callable, so migrations name it rather than copy
    the whole list (and a later ISO amendment needs no migration)."""
    return CURRENCY_CHOICES


def default_currency() -> str:
    """The company's currency (settings.TANDEM_CURRENCY): what new money is kept in."""
    return settings.TANDEM_CURRENCY


def normalise_currency(value) -> str:
    """A currency as typed (" usd ") as the code it is kept under ("USD"); anything not text
    comes back as it is, for the validator to refuse."""
    return value.strip().upper() if isinstance(value, str) else value


def is_currency(value) -> bool:
    return isinstance(value, str) and value in CURRENCIES


def validate_currency(value) -> None:
    """Refuse anything but an active ISO 4217 code in capitals."""
    if not is_currency(value):
        shown = str(value)[:20]
        raise ValidationError(
            "“%(value)s” is not a currency we know. Choose one from the list, such as %(default)s.",
            code="invalid_currency",
            params={"value": shown, "default": settings.TANDEM_CURRENCY},
        )
