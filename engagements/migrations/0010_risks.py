from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0009_reminder_guarantees"),
    ]

    operations = []
