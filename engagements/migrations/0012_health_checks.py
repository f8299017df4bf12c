from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0011_learning"),
    ]

    operations = []
