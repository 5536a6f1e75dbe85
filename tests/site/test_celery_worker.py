"""Celery tasks run eagerly on one machine, and on a real worker through Redis in production."""

import base64
import json
import os
import socket

import pytest
import redis
from celery import Celery
from django.db import connection

from accounts import sms
from accounts.models import TextMessage
from accounts.tasks import queue_sms, send_sms_task
from tests.support import require, run_on_real_worker, worker_database_url
from yunfu.celery_app import app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    assert app.conf.task_always_eager
    sms.outbox.clear()
    text = queue_sms("+8613800138000", "验证码 123456")
    assert sms.outbox == [("+8613800138000", "验证码 123456")]
    text.refresh_from_db()
    assert text.sent_at is not None
    assert text.body == "", "a sent code is not kept"


@pytest.mark.django_db
def test_a_redelivered_text_is_not_sent_twice():
    sms.outbox.clear()
    text = queue_sms("+8613800138000", "验证码 123456")
    assert send_sms_task.delay(text.pk).get(timeout=10) == "138****8000"
    assert len(sms.outbox) == 1


def test_texts_have_a_queue_of_their_own():
    route = app.amqp.router.route({}, send_sms_task.name)
    assert route["queue"].name == "sms"


def test_task_events_are_off():
    assert not app.conf.worker_send_task_events
    assert not app.conf.task_send_sent_event


@pytest.mark.django_db
def test_the_broker_message_carries_the_id_not_the_number_or_the_code(settings):
    """What a task leaves in Redis: sent to a real broker, read back off the queue."""
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    client = redis.Redis.from_url(REDIS_URL)
    queue = "test-sms-payload"
    client.delete(queue)
    text = TextMessage.objects.create(phone="+8613800138000", body="验证码 654321")
    sender = Celery(broker=REDIS_URL, set_as_current=False)
    try:
        sender.send_task(send_sms_task.name, (text.pk,), queue=queue)
    finally:
        sender.close()
    raw = client.lpop(queue)
    client.delete(queue)
    assert raw is not None
    message = json.loads(raw)
    body = message["body"]
    payload = base64.b64decode(body).decode()
    assert json.loads(payload)[0] == [text.pk]
    for secret in ("654321", "13800138000"):
        assert secret not in raw.decode() and secret not in payload


@pytest.mark.worker
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker is another process and needs the test database: SQLite's is in memory",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_runs_on_a_real_worker_through_redis(tmp_path):
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    log = tmp_path / "worker.log"
    env = {
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "SMS_BACKEND": "accounts.sms.LogSMSBackend",
    }
    text = TextMessage.objects.create(phone="+8613800138000", body="验证码 654321")
    masked = run_on_real_worker(send_sms_task.name, (text.pk,), log, env)
    assert masked == "138****8000"
    output = log.read_text()
    assert "SMS to 138****8000: 验证码 654321" in output
    assert "13800138000" not in output, "the full number must not reach the log"
    text.refresh_from_db()
    assert text.sent_at is not None and text.body == ""


def test_long_tasks_are_acknowledged_when_done_and_given_back_if_their_worker_dies():
    """The registry import used not to be: a worker killed mid-import lost the task."""
    from matching.tasks import run_matching_task
    from sheets.tasks import check_upload_task, import_upload_task

    for task in (check_upload_task, import_upload_task, run_matching_task, send_sms_task):
        assert task.acks_late, task.name
        assert task.reject_on_worker_lost, task.name
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > app.conf.task_time_limit
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss
