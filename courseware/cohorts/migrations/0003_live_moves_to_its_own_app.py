# Live sessions move to courseware.live (its 0001 takes over the same tables); this only forgets them here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0002_live_sessions'),
        ('live', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='LiveAnswer'),
                migrations.DeleteModel(name='LiveCheck'),
                migrations.DeleteModel(name='LiveParticipant'),
                migrations.DeleteModel(name='LiveSession'),
            ],
        ),
    ]
