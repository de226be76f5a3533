import factory

from tandem.people.models import Role, User
from tandem.people.services import do_set_role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw")
    role = Role.SELLER

    @factory.post_generation
    def sync_role(obj, create, extracted, **kwargs):
        if create:
            do_set_role(obj, obj.role)
