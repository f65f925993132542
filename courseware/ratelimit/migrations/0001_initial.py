from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField()),
                ("expires_ms", models.BigIntegerField(db_index=True)),
            ],
        ),
    ]
