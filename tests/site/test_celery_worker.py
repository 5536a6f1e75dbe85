"""Celery tasks run eagerly on one machine, and on a real worker through Redis in production."""

import os
import socket

import pytest

from accounts import sms
from accounts.tasks import send_sms_task
from tests.support import require, run_on_real_worker
from yunfu.celery_app import app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_without_a_broker_tasks_run_in_process(settings):
    assert app.conf.task_always_eager
    sms.outbox.clear()
    result = send_sms_task.delay("+8613800138000", "验证码 123456")
    assert result.get(timeout=10) == "138****8000"  # a timeout, not a hang, if sent away
    assert sms.outbox == [("+8613800138000", "验证码 123456")]


@pytest.mark.worker
def test_a_task_runs_on_a_real_worker_through_redis(tmp_path):
    require(redis_is_up(), "Redis on 127.0.0.1:6379")
    log = tmp_path / "worker.log"
    env = {
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "SMS_BACKEND": "accounts.sms.LogSMSBackend",
    }
    masked = run_on_real_worker(send_sms_task.name, ("+8613800138000", "验证码 654321"), log, env)
    assert masked == "138****8000"
    output = log.read_text()
    assert "SMS to 138****8000: 验证码 654321" in output
    assert "13800138000" not in output, "the full number must not reach the log"
