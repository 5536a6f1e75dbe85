"""The systemd units in deploy/ start every process production needs and bring each back."""

import configparser
import shlex
from pathlib import Path

from yunfu.celery_app import app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def units() -> dict[str, configparser.ConfigParser]:
    found = {}
    for path in sorted(DEPLOY.glob("*.service")):
        unit = configparser.ConfigParser(interpolation=None, strict=False)
        unit.optionxform = str
        unit.read(path)
        found[path.name] = unit
    return found


def worker_queues() -> dict[str, set[str]]:
    queues = {}
    for name, unit in units().items():
        command = shlex.split(unit["Service"]["ExecStart"])
        if command[1:4] == ["-A", "yunfu", "worker"]:
            queues[name] = set(command[command.index("-Q") + 1].split(","))
    return queues


def test_every_unit_restarts_on_failure():
    assert set(units()) >= {"yunfu-web.service", "yunfu-worker.service", "yunfu-beat.service"}
    for name, unit in units().items():
        assert unit["Service"]["Restart"] == "always", name
        assert unit["Service"]["EnvironmentFile"] == "/etc/yunfu/env", name


def test_every_queue_a_task_is_routed_to_has_a_worker_and_texts_have_their_own():
    routed = {route["queue"] for route in app.conf.task_routes.values()}
    queues = worker_queues()
    served = set().union(*queues.values())
    assert routed | {app.conf.task_default_queue} <= served
    sms_workers = [name for name, consumed in queues.items() if "sms" in consumed]
    assert sms_workers and all(queues[name] == {"sms"} for name in sms_workers)


def test_the_long_tasks_run_behind_the_web_workers_for_the_processor():
    """An import or a matching run takes a core for minutes; the learners' heartbeats must
    still be answered (benchmarks.load --other-nice measures the difference)."""
    web = units()["yunfu-web.service"]["Service"]
    long_tasks = units()["yunfu-worker.service"]["Service"]
    assert int(long_tasks.get("Nice", 0)) > int(web.get("Nice", 0))
    assert int(long_tasks.get("CPUWeight", 100)) < int(web.get("CPUWeight", 100))
