"""The shared router: every app registers its viewsets on `router` from its own `api.py`."""

from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """A router whose views skip LoginRequiredMiddleware: DRF authenticates them itself."""

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            pattern.callback = login_not_required(pattern.callback)
        return urls


router = Router()
