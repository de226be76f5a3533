"""What every app's viewsets share: the read endpoints they start from, their authentication
and filters, and how a service's ValidationError becomes the API's answer. Each view finds
the object (DRF's get_object with the app's permission classes), binds a serializer, calls
one service and answers with the result."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.settings import api_settings


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this since you read it."
    default_code = "stale"


def api_error(exc: DjangoValidationError, rename: dict[str, str] | None = None) -> APIException:
    """Turn a service's ValidationError into the API's answer: 409 for a stale version,
    otherwise 400 with the messages per field (`rename` maps service names to API names)."""
    if not hasattr(exc, "error_dict"):
        if any(error.code == "stale" for error in exc.error_list):
            return Conflict(" ".join(exc.messages))
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    rename = rename or {}
    detail: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            key = api_settings.NON_FIELD_ERRORS_KEY
        else:
            key = rename.get(field, field)
        detail.setdefault(key, []).extend(messages)
    return ValidationError(detail)


class StableOrderingFilter(OrderingFilter):
    """Order as the client asks, then by id, so that pages never repeat or skip a row."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = [*ordering, "id"]
        return ordering


def fields_and_version(serializer) -> tuple[dict, str | None]:
    """The validated fields for the service, and the version the client read (if any)."""
    data = dict(serializer.validated_data)
    return data, data.pop("version", None)


class ApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read endpoints; subclasses add the writes they allow. There is no delete."""

    # Token first, so that a request without credentials gets 401 and a WWW-Authenticate header.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = api_error(exc)
        return super().handle_exception(exc)

    def respond(self, serializer_class, instance, status_code=status.HTTP_200_OK) -> Response:
        context = self.get_serializer_context()
        return Response(serializer_class(instance, context=context).data, status=status_code)

    def bind(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
