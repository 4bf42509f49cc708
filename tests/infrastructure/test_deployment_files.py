"""docker-compose cannot run here, so its shape is checked against the Procfile it mirrors."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _procfile(name: str) -> dict[str, str]:
    entries = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            process, command = line.split(":", 1)
            entries[process] = command.strip()
    return entries


def test_compose_has_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1


def test_compose_runs_the_procfile_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    procfile = _procfile("Procfile")
    assert "gunicorn config.wsgi" in compose["services"]["web"]["command"]
    assert "gunicorn config.wsgi" in procfile["web"]
    for process in ("worker", "beat"):
        head = " ".join(procfile[process].split()[:4])
        assert compose["services"][process]["command"].startswith(head)


def test_demo_procfile_starts_web_worker_and_beat():
    assert set(_procfile("Procfile.demo")) == {"web", "worker", "beat"}
