"""How the outbox gets a board report rendered: the render runs in the worker that dispatches it."""

from foundation import outbox

from .reports import services


@outbox.handler(services.RENDER_KIND, max_attempts=3, queue=outbox.RENDER)
def render_report(message):
    """Render one board report to PDF; the page that asked polls the Rendering's status. A render that
    fails is marked failed on the page by rendering_run itself; only an error outside it is retried."""
    services.rendering_run(rendering_id=message.payload["rendering_id"])
