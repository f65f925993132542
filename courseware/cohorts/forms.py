from __future__ import annotations

from django import forms

from courseware.topics.library import get_library


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For example “Platform team, January onboarding”.")

    def __init__(self, *args, initial_topics: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        initial_topics = initial_topics or {}
        self.topic_fields = []
        for topic in get_library().topics.values():
            assigned = f"topic_{topic.slug}"
            due = f"due_{topic.slug}"
            self.fields[assigned] = forms.BooleanField(
                required=False, label=topic.title, initial=topic.slug in initial_topics
            )
            self.fields[due] = forms.DateField(
                required=False,
                label=f"Due date for {topic.title}",
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # <input type=date> takes ISO only
                initial=initial_topics.get(topic.slug),
            )
            self.topic_fields.append((topic, self[assigned], self[due]))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"topic_{t.slug}") for t, _, _ in self.topic_fields):
            raise forms.ValidationError("Assign at least one topic.")
        return cleaned

    def topics(self) -> list:
        return [
            (t.slug, self.cleaned_data.get(f"due_{t.slug}"))
            for t, _, _ in self.topic_fields
            if self.cleaned_data.get(f"topic_{t.slug}")
        ]


class JoinForm(forms.Form):
    code = forms.CharField(max_length=20, label="Join code", help_text="Six letters and digits, from your instructor.")


class AddInstructorForm(forms.Form):
    username = forms.CharField(max_length=150, label="Co-instructor's username")
