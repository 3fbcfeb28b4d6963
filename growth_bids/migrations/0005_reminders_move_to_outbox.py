from django.db import migrations


def copy_to_outbox(apps, schema_editor):
    """Each message ReminderSent recorded becomes a sent outbox row under the key the outbox now uses
    (growth_bids.<kind>:<key>), so no reminder or decision email already sent goes again."""
    ReminderSent = apps.get_model("growth_bids", "ReminderSent")
    OutboxMessage = apps.get_model("foundation", "OutboxMessage")
    rows = [
        OutboxMessage(
            kind="email",
            key=f"growth_bids.{r.kind}:{r.key}",
            recipient=r.recipient,
            payload={"migrated": "Recorded as sent before the outbox; the text was not kept."},
            status="sent",
            attempts=1,
            created_at=r.sent_at,
            next_attempt_at=r.sent_at,
            sent_at=r.sent_at,
        )
        for r in ReminderSent.objects.iterator(chunk_size=2000)
    ]
    OutboxMessage.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    ReminderSent = apps.get_model("growth_bids", "ReminderSent")
    OutboxMessage = apps.get_model("foundation", "OutboxMessage")
    rows = []
    for m in OutboxMessage.objects.filter(key__startswith="growth_bids.", status="sent").iterator(chunk_size=2000):
        kind, _, key = m.key.removeprefix("growth_bids.").partition(":")
        rows.append(ReminderSent(kind=kind, key=key, recipient=m.recipient))
    ReminderSent.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("growth_bids", "0004_bid_procurement_project"),
        ("foundation", "0001_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, copy_back),
        migrations.DeleteModel(name="ReminderSent"),
    ]
