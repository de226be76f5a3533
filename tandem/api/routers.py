"""The API's router lives in core (tandem.core.api.routers), where every app registers its
viewsets; this name is kept for the code and tests that import it from here."""

from tandem.core.api.routers import Router, router

__all__ = ["Router", "router"]
