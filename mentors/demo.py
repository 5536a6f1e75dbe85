"""Demo lecturer team and entrepreneurs: the sample sheets of mentors/samples, imported
the way staff would, plus the demo expert's and entrepreneur's own records."""

from pathlib import Path

from .entrepreneur_import import import_entrepreneurs
from .expert_import import import_experts
from .models import Background, Entrepreneur, Expert, Product, SalesChannel, Stage

SAMPLES = Path(__file__).resolve().parent / "samples"


def load_demo_mentors(*, expert_user, entrepreneur_user):
    """Import the sample sheets; link the demo expert login to the first sample expert and
    give the demo entrepreneur login a profile waiting for a mentor. Safe to run again."""
    experts = import_experts(SAMPLES / "experts.csv")
    entrepreneurs = import_entrepreneurs(SAMPLES / "entrepreneurs.csv")
    expert = Expert.objects.order_by("pk").first()
    if not Expert.objects.filter(user=expert_user).exists() and expert.user_id is None:
        expert.user = expert_user
        expert.save(update_fields=["user", "updated_at"])
    if not Entrepreneur.objects.filter(user=entrepreneur_user).exists():
        village = entrepreneur_user.home_village
        profile = Entrepreneur.objects.create(
            user=entrepreneur_user,
            name=entrepreneur_user.real_name,
            phone=entrepreneur_user.phone,
            background=Background.GRADUATE,
            school="广东农工商职业技术学院",
            graduation_year=2024,
            village=village,
            stage=Stage.IDEA,
            needs="想开微店卖家里的肉桂和南药，不会拍产品照片，也不懂怎么定价。",
            households_helped=3,
        )
        profile.products.set(Product.objects.filter(name__in=["肉桂", "南药"]))
        profile.channels.set(SalesChannel.objects.filter(name="微信小店/微店"))
    return f"{experts} {entrepreneurs}"
