"""Review items move from Leitner boxes to FSRS cards; every existing row keeps its due date."""

from django.db import migrations, models


def boxes_to_cards(apps, schema_editor):
    from courseware.quizzes.scheduling import from_leitner_box

    ReviewItem = apps.get_model("quizzes", "ReviewItem")
    changed = []
    for item in ReviewItem.objects.all().iterator(chunk_size=2000):
        card = from_leitner_box(box=item.box, due_at=item.due_at, last_seen=item.last_reviewed_at or item.updated_at)
        item.state, item.step = card.state, card.step
        item.stability, item.difficulty = card.stability, card.difficulty
        item.due_at, item.last_reviewed_at = card.due_at, card.last_review
        changed.append(item)
        if len(changed) >= 2000:
            ReviewItem.objects.bulk_update(
                changed, ["state", "step", "stability", "difficulty", "due_at", "last_reviewed_at"]
            )
            changed = []
    if changed:
        ReviewItem.objects.bulk_update(changed, ["state", "step", "stability", "difficulty", "due_at", "last_reviewed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewitem",
            name="difficulty",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reviewitem",
            name="stability",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reviewitem",
            name="state",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="reviewitem",
            name="step",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(boxes_to_cards, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="reviewitem",
            name="box",
        ),
    ]
