# Live sessions move from the cohorts app to their own app: the tables stay (db_table), only Django's state moves.

import courseware.live.models
import courseware.cohorts.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cohorts', '0002_live_sessions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='LiveSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=courseware.cohorts.models.new_join_code, max_length=6, unique=True)),
                        ('title', models.CharField(max_length=200)),
                        ('questions', models.JSONField(default=list)),
                        ('exercise', models.CharField(blank=True, default='', max_length=170)),
                        ('question_seconds', models.PositiveSmallIntegerField(default=30)),
                        ('exercise_seconds', models.PositiveIntegerField(default=300)),
                        ('allow_guests', models.BooleanField(default=False)),
                        ('show_leaderboard', models.BooleanField(default=True)),
                        ('speed_scoring', models.BooleanField(default=False)),
                        ('state', models.CharField(default='lobby', max_length=20)),
                        ('current_index', models.IntegerField(default=-1)),
                        ('reached_index', models.IntegerField(default=-1)),
                        ('deadline', models.DateTimeField(blank=True, null=True)),
                        ('paused_from', models.CharField(blank=True, default='', max_length=20)),
                        ('pause_remaining', models.FloatField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='live_sessions', to='cohorts.cohort')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='hosted_live_sessions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cohorts_livesession',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='LiveParticipant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('display_name', models.CharField(max_length=40)),
                        ('token', models.CharField(default=courseware.live.models.new_participant_token, max_length=32)),
                        ('joined_at', models.DateTimeField(auto_now_add=True)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='live_participations', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='live.livesession')),
                    ],
                    options={
                        'db_table': 'cohorts_liveparticipant',
                        'ordering': ['joined_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LiveCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('exercise', models.CharField(max_length=170)),
                        ('passed', models.BooleanField()),
                        ('parse_error', models.BooleanField(default=False)),
                        ('rules', models.JSONField(default=list)),
                        ('files', models.JSONField(default=dict)),
                        ('files_hash', models.CharField(max_length=64)),
                        ('created_at', models.DateTimeField()),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='live.liveparticipant')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='live.livesession')),
                    ],
                    options={
                        'db_table': 'cohorts_livecheck',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='LiveAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('question_index', models.PositiveSmallIntegerField()),
                        ('topic', models.SlugField(max_length=80)),
                        ('quiz', models.SlugField(max_length=80)),
                        ('question_id', models.SlugField(max_length=80)),
                        ('response', models.JSONField()),
                        ('correct', models.BooleanField()),
                        ('score', models.FloatField()),
                        ('points', models.PositiveIntegerField(default=0)),
                        ('footgun', models.SlugField(blank=True, default='', max_length=80)),
                        ('primer', models.SlugField(blank=True, default='', max_length=80)),
                        ('created_at', models.DateTimeField()),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='live_answers', to=settings.AUTH_USER_MODEL)),
                        ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='live.liveparticipant')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='live.livesession')),
                    ],
                    options={'db_table': 'cohorts_liveanswer'},
                ),
                migrations.AddConstraint(
                    model_name='livesession',
                    constraint=models.CheckConstraint(condition=models.Q(('state__in', ('lobby', 'question_open', 'question_closed', 'revealed', 'exercise_open', 'exercise_closed', 'paused', 'finished'))), name='live_session_state_is_known'),
                ),
                migrations.AddConstraint(
                    model_name='liveparticipant',
                    constraint=models.UniqueConstraint(condition=models.Q(('user__isnull', False)), fields=('session', 'user'), name='live_join_once_per_user'),
                ),
                migrations.AddIndex(
                    model_name='livecheck',
                    index=models.Index(fields=['session', 'participant'], name='cohorts_liv_session_cfe761_idx'),
                ),
                migrations.AddIndex(
                    model_name='liveanswer',
                    index=models.Index(fields=['session', 'question_index'], name='cohorts_liv_session_7bd1ef_idx'),
                ),
                migrations.AddIndex(
                    model_name='liveanswer',
                    index=models.Index(fields=['topic', 'quiz', 'question_id'], name='cohorts_liv_topic_34a70a_idx'),
                ),
                migrations.AddIndex(
                    model_name='liveanswer',
                    index=models.Index(fields=['topic', 'footgun'], name='cohorts_liv_topic_37486f_idx'),
                ),
                migrations.AddConstraint(
                    model_name='liveanswer',
                    constraint=models.UniqueConstraint(fields=('participant', 'question_index'), name='live_one_answer_per_question'),
                ),
    
            ],
        ),
    ]
