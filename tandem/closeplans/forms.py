"""Forms of the close plan on the deal page. They only parse input; services judge it."""

from django import forms

from tandem.closeplans.models import MAX_BUSINESS_DAYS, PlanTemplate, Side, StepStatus
from tandem.core.forms import DateInput, FriendlyErrorsMixin, StyledFormMixin
from tandem.crm.models import Contact
from tandem.people.models import Role, User


class ApplyTemplateForm(StyledFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.filter(is_active=True), empty_label="— choose a template —"
    )
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)
    move_close = forms.BooleanField(required=False, widget=forms.HiddenInput)


def owner_choices(deal) -> list:
    """Our people, then the account's people, as one select: "u:<id>" or "c:<id>"."""
    ours = [
        (f"u:{user.pk}", user.name)
        for user in User.objects.filter(is_active=True)
        .exclude(role=Role.CREW)
        .order_by("display_name", "username")
    ]
    theirs = [
        (f"c:{contact.pk}", str(contact))
        for contact in Contact.objects.filter(stakeholders__account_id=deal.account_id)
        .distinct()
        .order_by("last_name", "first_name")
    ]
    return [("", "— nobody yet —"), ("Our people", ours), (deal.account.name, theirs)]


class StepForm(StyledFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    side = forms.ChoiceField(choices=Side.choices)
    owner = forms.ChoiceField(required=False)
    due_date = forms.DateField(widget=DateInput())
    duration_days = forms.IntegerField(
        min_value=0, max_value=MAX_BUSINESS_DAYS, initial=0, label="Business days of work"
    )
    value_statement = forms.CharField(
        max_length=250, required=False, label="Gets us to", help_text="Required for their steps"
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, deal, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners or owner_choices(deal)

    def step_fields(self) -> dict:
        """The cleaned data as the services take it (owner split into ours or theirs)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("owner", "version")}
        owner = self.cleaned_data.get("owner") or ""
        kind, _, pk = owner.partition(":")
        data["owner_user"] = User.objects.filter(pk=pk).first() if kind == "u" else None
        data["owner_contact"] = Contact.objects.filter(pk=pk).first() if kind == "c" else None
        data["value_statement"] = data.get("value_statement") or ""
        return data


def step_initial(step) -> dict:
    owner = ""
    if step.owner_user_id:
        owner = f"u:{step.owner_user_id}"
    elif step.owner_contact_id:
        owner = f"c:{step.owner_contact_id}"
    return {
        "title": step.title,
        "side": step.side,
        "owner": owner,
        "due_date": step.due_date,
        "duration_days": step.duration_days,
        "value_statement": step.value_statement,
    }


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(choices=StepStatus.choices)
    blocker = forms.CharField(max_length=250, required=False, label="Blocked because")
    version = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(StyledFormMixin, forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Note", max_length=4000)
    shared = forms.BooleanField(required=False, label="Show it to the customer on the shared plan")


class MoveStepForm(FriendlyErrorsMixin, forms.Form):
    position = forms.IntegerField(min_value=1)


class AcceptCloseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 1}),
        label="Anything to add",
        help_text="Kept in the close-date history with the plan's reason",
    )


class ShareForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(min_value=1, max_value=365, label="Works for (days)")
