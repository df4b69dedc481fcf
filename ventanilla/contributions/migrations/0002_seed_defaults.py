from django.db import migrations


def forwards(apps, schema_editor):
    from ventanilla.contributions.defaults import seed

    seed(apps)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
