"""The notifications' REST API: the signed-in person's own notifications, to read and to
mark read (one, or all at once), registered on the shared router as /api/v1/notifications/."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tandem.core.api.routers import router
from tandem.core.api.views import ApiViewSet
from tandem.notifications import services as notification_services
from tandem.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(ApiViewSet):
    """The signed-in person's own notifications; nobody reads anyone else's."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notification_services.notifications_for(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = notification_services.do_mark_read(self.get_object())
        return self.respond(NotificationSerializer, notification)

    @extend_schema(request=None, responses=ReadAllSerializer, filters=False)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request):
        """Mark every unread notification read; says how many there were."""
        marked = notification_services.do_mark_all_read(request.user)
        return Response({"marked": marked})


router.register("notifications", NotificationViewSet)
