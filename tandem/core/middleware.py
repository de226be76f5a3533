from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class HtmxAwareLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Send a signed-out HTMX request to the login page as a whole-page redirect.

    A plain 302 would be followed by htmx and the login page swapped into a card or a search
    dropdown; HX-Redirect makes the browser leave the page instead, coming back afterwards.
    """

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            page = request.headers.get("HX-Current-URL") or request.get_full_path()
            login = redirect_to_login(page, resolve_url(settings.LOGIN_URL))
            return HttpResponseClientRedirect(login["Location"])
        return super().handle_no_permission(request, view_func)
