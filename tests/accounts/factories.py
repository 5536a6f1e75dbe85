import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"+861380000{n:04d}")
    phone_verified = True
    real_name = factory.Sequence(lambda n: f"学员{n}")
    password = factory.PostGenerationMethodCall("set_password", "Yunfu-2026-pass")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
