"""The company's branding for pages customers see: its name, logo and colour, from the
settings (validated there at start-up)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Brand:
    name: str
    colour: str
    # Text on the brand colour: white on dark brands, near-black on light ones.
    on_colour: str
    logo_url: str


def text_colour_on(colour: str) -> str:
    """#ffffff or #1b2533, whichever reads on the hex `colour` (#abc or #aabbcc)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    # Perceived brightness (ITU-R BT.601 weights).
    return "#ffffff" if (299 * red + 587 * green + 114 * blue) / 1000 < 150 else "#1b2533"


def company_brand() -> Brand:
    colour = settings.TANDEM_BRAND_COLOUR
    return Brand(
        name=settings.TANDEM_COMPANY_NAME,
        colour=colour,
        on_colour=text_colour_on(colour),
        logo_url=settings.TANDEM_COMPANY_LOGO_URL,
    )
