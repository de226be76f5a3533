import factory

from tandem.closeplans.models import PlanTemplate, TemplateStep


class PlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    project_type = "av_installation"


class TemplateStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateStep

    template = factory.SubFactory(PlanTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")
    side = "us"
    duration_days = 2
    lead_days = None
    value_statement = ""


# The AV installation steps the demo company uses, in order: (title, side, owner role,
# duration, lead, value).
AV_STEPS = [
    ("Discovery call", "us", "seller", 1, None, ""),
    ("Technical walkthrough", "customer", "user", 2, None, "a fixed scope"),
    ("Proposal review", "us", "project_manager", 3, None, ""),
    ("Budget approval", "customer", "finance", 5, None, "a signed-off budget"),
    ("Contract signature", "customer", "decision_maker", 2, 0, "a start date on our calendar"),
]


def av_template(name: str = "AV installation") -> PlanTemplate:
    template = PlanTemplateFactory(name=name)
    for position, (title, side, role, duration, lead, value) in enumerate(AV_STEPS, 1):
        TemplateStepFactory(
            template=template,
            position=position,
            title=title,
            side=side,
            owner_role=role,
            duration_days=duration,
            lead_days=lead,
            value_statement=value,
        )
    return template
