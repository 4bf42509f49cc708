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


def _services(compose: dict, profile: str | None = None) -> dict[str, dict]:
    """The services `docker compose [--profile PROFILE] up` starts."""
    return {
        name: service
        for name, service in compose["services"].items()
        if not service.get("profiles") or profile in service["profiles"]
    }


def test_compose_has_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(_services(compose)) == {"postgres", "redis", "web", "worker", "beat"}
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


def test_the_multinode_profile_runs_two_web_nodes_two_workers_one_beat_and_minio():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = _services(compose, "multinode")
    procfile = _procfile("Procfile")

    def running(process: str) -> list[str]:
        # "gunicorn config.wsgi" / "celery -A config worker" / "celery -A config beat"
        head = " ".join(procfile[process].split()[: 2 if process == "web" else 4])
        return [name for name, s in services.items() if head in str(s.get("command", ""))]

    assert running("web") == ["web", "web-2"]
    assert running("worker") == ["worker", "worker-2"]
    assert running("beat") == ["beat"] and services["beat"]["deploy"]["replicas"] == 1
    # Only the first node migrates; the second waits for the schema instead of racing it.
    assert "migrate --noinput" in services["web"]["command"]
    assert "migrate --check" in services["web-2"]["command"]
    assert "migrate --noinput" not in services["web-2"]["command"]
    # Every node reads the same database, Redis and .env (where the S3 settings go).
    nodes = [services[name] for name in ("web", "web-2", "worker", "worker-2", "beat")]
    assert len({yaml.safe_dump(node["environment"]) for node in nodes}) == 1
    assert all(node["env_file"][0]["path"] == ".env" for node in nodes)
    assert services["minio"]["image"].startswith("minio/minio:RELEASE.")
    bucket = services["minio-bucket"]
    assert bucket["environment"]["BUCKET"] == "${PORTAL_S3_BUCKET:-portal}"
    assert "mc mb --ignore-existing" in bucket["command"][0]
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    # The store's credentials are the ones the nodes use.
    assert services["minio"]["environment"]["MINIO_ROOT_USER"].startswith("${AWS_ACCESS_KEY_ID")
    env_example = (ROOT / ".env.example").read_text()
    for variable in ("PORTAL_S3_BUCKET", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID"):
        assert variable in env_example
    assert "docker compose --profile multinode up" in (ROOT / "README.md").read_text()


def test_the_one_beat_reads_its_schedule_from_the_database():
    """The schedule is rows (django-celery-beat), not a beat's local file: whichever machine runs
    the one beat finds the admins' edits, and no command line swaps the scheduler back."""
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    commands = [_procfile("Procfile")["beat"], compose["services"]["beat"]["command"]]
    assert not any(flag in command for command in commands for flag in (" -S", "--scheduler"))
