from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0010_risks"),
    ]

    operations = []
