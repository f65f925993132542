from __future__ import annotations

from django.contrib.auth.models import Group, User

from .roles import INSTRUCTORS_GROUP


def instructor_grant(*, user: User) -> None:
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    user.groups.add(group)


def user_create(*, username: str, password: str, instructor: bool = False, staff: bool = False) -> User:
    user = User.objects.create_user(username=username, password=password, is_staff=staff, is_superuser=staff)
    if instructor:
        instructor_grant(user=user)
    return user
