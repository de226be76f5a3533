from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from tandem.core.api.routers import router

# Every app registers its endpoints on core's router from its own api module, imported at
# start-up (tandem.core.registry.DISCOVERED_MODULES); here the router is served.
# API clients authenticate with a token or the session; DRF answers 401/403 itself, so the
# site-wide redirect to the login page must not catch these URLs.
urlpatterns = [
    path("v1/auth/token/", login_not_required(obtain_auth_token), name="api-token"),
    path("v1/", include(router.urls)),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    # Signed-in people only (SERVE_PERMISSIONS); DRF views answer 403 rather than redirect.
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
