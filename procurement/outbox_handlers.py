"""How the outbox sends a procurement reminder: rendered when it goes, so a task finished since is skipped."""

from foundation import mail, outbox

from . import services


@outbox.handler(services.REMINDER_KIND)
def send_reminder(message):
    services.reminder_send(reminder_id=message.payload["reminder_id"], message_id=mail.message_id(message))
