import pytest

from commissioning.models import WorkerHeartbeat
from commissioning.tasks import heartbeat
from tests.celery_worker import celery_worker, wait_for


@pytest.mark.django_db
def test_heartbeat_task_in_process_records_the_beat():
    heartbeat.delay("in-process")
    assert WorkerHeartbeat.objects.filter(name="in-process").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_worker_runs_a_task_sent_through_redis():
    with celery_worker() as queue:
        heartbeat.apply_async(args=["real-worker"], queue=queue)
        assert wait_for(lambda: WorkerHeartbeat.objects.filter(name="real-worker").exists()), "worker never ran it"


def test_celery_is_configured_for_json_time_limits_and_the_database_scheduler():
    from commissioning.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.django_db
def test_heartbeat_schedule_is_editable_in_admin(admin_client):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Worker heartbeat")
    assert task.task == "commissioning.heartbeat"
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200
