from django.db import migrations


def copy_to_outbox(apps, schema_editor):
    """Each reminder gets its outbox message (key procurement.reminder:<id>): sent ones as sent, so they
    never go again; unsent ones as queued, so the outbox sends them (or skips those whose task is done)."""
    Reminder = apps.get_model("procurement", "Reminder")
    OutboxMessage = apps.get_model("foundation", "OutboxMessage")
    rows = []
    for r in Reminder.objects.iterator(chunk_size=2000):
        sent = r.sent_at is not None
        rows.append(
            OutboxMessage(
                kind="procurement.reminder",
                key=f"procurement.reminder:{r.pk}",
                recipient=r.email,
                payload={"reminder_id": r.pk},
                status="sent" if sent else "queued",
                attempts=r.attempts,
                created_at=r.claimed_at,
                next_attempt_at=r.sent_at or r.claimed_at,
                sent_at=r.sent_at,
                last_error=r.last_error,
            )
        )
    OutboxMessage.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    Reminder = apps.get_model("procurement", "Reminder")
    OutboxMessage = apps.get_model("foundation", "OutboxMessage")
    for m in OutboxMessage.objects.filter(kind="procurement.reminder").iterator(chunk_size=2000):
        Reminder.objects.filter(pk=m.payload.get("reminder_id")).update(
            sent_at=m.sent_at, attempts=min(m.attempts, 32767), last_error=m.last_error
        )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0003_reminder_schedule"),
        ("foundation", "0001_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, copy_back),
        migrations.RemoveField(model_name="reminder", name="attempts"),
        migrations.RemoveField(model_name="reminder", name="last_error"),
        migrations.RemoveField(model_name="reminder", name="sent_at"),
    ]
