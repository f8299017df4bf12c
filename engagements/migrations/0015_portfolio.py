from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0014_today_visits"),
    ]

    operations = []
