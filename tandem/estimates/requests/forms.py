"""Forms of the estimate request pages: the brief with its estimators, and the status actions."""

import copy
import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from tandem.core.forms import DateInput, StyledFormMixin, add_service_errors
from tandem.estimates.models import EstimateRequest, EstimatorPart
from tandem.estimates.requests.services import (
    ALLOWED_TYPES,
    REQUEST_FIELDS,
    check_attachment,
    check_request,
)
from tandem.people.models import User

ACCEPT = ",".join(sorted(ALLOWED_TYPES))
ESTIMATOR_ROWS_EXTRA = 2


def estimator_choices():
    """Active people who build estimates (the same rule the service checks)."""
    builds = Q(
        groups__permissions__codename="change_estimate",
        groups__permissions__content_type__app_label="estimates",
    ) | Q(
        user_permissions__codename="change_estimate",
        user_permissions__content_type__app_label="estimates",
    )
    ids = User.objects.filter(builds | Q(is_superuser=True)).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("display_name", "username")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, each checked as a brief's attachment."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if not uploads and self.required:
            raise ValidationError("Choose a file to attach.", code="required")
        errors = []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                check_attachment(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(uploads)


class RequestForm(StyledFormMixin, forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(max_length=200)
    brief = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the client wants, as much as we know.",
    )
    venue = forms.CharField(max_length=200, required=False)
    dimensions = forms.CharField(
        max_length=200,
        required=False,
        help_text="Booth or stage size, ceiling height, screen size.",
    )
    event_start = forms.DateField(required=False, widget=DateInput)
    event_end = forms.DateField(required=False, widget=DateInput)
    needed_by = forms.DateField(widget=DateInput, label="Needed by")
    files = MultipleFileField(
        required=False,
        help_text="Floor plans, renders, the venue's rigging plot. PDF, drawings, office "
        "documents, pictures, CSV or text.",
    )

    def __init__(self, *args, current: EstimateRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current is not None:
            # Files of an existing request are added and removed on its page.
            del self.fields["files"]

    def clean(self):
        """The service's rules (dates in order, not in the past, the model's limits) in the
        same pass as the fields, so one send shows every mistake."""
        data = super().clean()
        values = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in data.items()
            if name in REQUEST_FIELDS
        }
        request = copy.copy(self.current) if self.current else EstimateRequest()
        for name, value in values.items():
            setattr(request, name, value)
        # A request's own needed-by date may have passed since; only a new one must not.
        new = self.current is None or values.get("needed_by") != self.current.needed_by
        try:
            check_request(request, timezone.localdate(), new=new, skip=set(self.errors))
        except ValidationError as error:
            add_service_errors(self, error)
        return data

    def request_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("files", "version")}


class EstimatorRowForm(StyledFormMixin, forms.Form):
    estimator = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Choose an estimator"
    )
    part = forms.ChoiceField(choices=EstimatorPart.choices, initial=EstimatorPart.EVERYTHING)

    def __init__(self, *args, estimators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimator"].queryset = estimators if estimators is not None else User.objects
        self.fields["estimator"].error_messages["invalid_choice"] = (
            "Choose someone who builds estimates."
        )
        self.fields["estimator"].label_from_instance = lambda user: user.name


class BaseEstimatorFormSet(forms.BaseFormSet):
    """The estimators of a request, a row each; a row with no one chosen is ignored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "estimators")
        kwargs.setdefault("form_kwargs", {"estimators": estimator_choices()})
        super().__init__(*args, **kwargs)

    def clean(self):
        # The rows that were read are checked even when another row was refused, so every
        # mistake shows at once.
        seen = set()
        twice = []
        for user, part in self.estimators():
            if (user.pk, part) in seen:
                label = EstimatorPart(part).label.lower()
                twice.append(f"{user.name} is down for {label} twice: once is enough.")
            seen.add((user.pk, part))
        if twice:
            raise ValidationError(twice)
        if not seen and not any(self.errors):
            raise ValidationError("Choose at least one estimator.")

    def estimators(self) -> list[tuple[User, str]]:
        return [
            (form.cleaned_data["estimator"], form.cleaned_data["part"])
            for form in self.forms
            if form.cleaned_data.get("estimator") and "part" in form.cleaned_data
        ]


EstimatorFormSet = forms.formset_factory(
    EstimatorRowForm,
    formset=BaseEstimatorFormSet,
    extra=ESTIMATOR_ROWS_EXTRA,
    min_num=1,
    max_num=20,
)


class ReturnForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Anything the seller should know",
    )


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why decline?",
        error_messages={"required": "Say why the request is declined."},
    )


class AgainForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What should change",
        error_messages={"required": "Say what the client wants changed."},
    )
    needed_by = forms.DateField(
        required=False, widget=DateInput, label="New needed-by date", help_text="Optional."
    )


class AttachForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(label="Files")


def default_needed_by():
    # A week is what estimators usually ask for a first round.
    return timezone.localdate() + dt.timedelta(days=7)
