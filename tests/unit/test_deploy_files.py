"""The deployment files hold what the scale-out design needs (docker-compose cannot run here: no
Docker engine; the HAProxy config runs in the scale-out tests)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:  # type: ignore[type-arg]
    loaded: dict = yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # type: ignore[type-arg]
    return loaded["services"]


def test_compose_runs_redis_with_aof_three_replicas_a_worker_and_a_sticky_proxy() -> None:
    services = compose()
    assert set(services) == {"redis", "app", "worker", "proxy"}
    redis = services["redis"]
    assert "--appendonly" in redis["command"] and redis["command"][redis["command"].index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in redis["volumes"])  # the AOF outlives the container

    app = services["app"]
    assert app["deploy"]["replicas"] == 3
    env = app["environment"]
    assert env["REDIS_URL"].startswith("redis://redis:")  # every replica shares the one Redis
    assert env["WORKSHOP_WORKER"] == "off"  # the worker service does the background work
    assert env["WORKSHOP_TRUSTED_PROXIES"] == "1"  # Traefik adds the address it saw
    assert "WORKSHOP_STORAGE_SECRET" in env  # one secret for all replicas
    labels = app["labels"]
    assert "traefik.http.services.werkplaats.loadbalancer.sticky.cookie=true" in labels
    assert not any("sourceip" in label.lower() or "source" in label.split("=")[0].lower() for label in labels)

    worker = services["worker"]
    assert worker["command"][-1] == "worker" and worker["environment"]["REDIS_URL"] == env["REDIS_URL"]
    assert services["proxy"]["image"].startswith("traefik:")
    assert any(str(p).endswith(":8080") for p in services["proxy"]["ports"])


def test_the_haproxy_config_pins_by_cookie_never_by_address() -> None:
    lines = [line.split("#")[0].strip() for line in (ROOT / "deploy" / "haproxy.cfg").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert any(line.startswith("cookie werkplaats_replica insert") for line in lines)
    assert "balance roundrobin" in lines and not any(line.startswith("balance source") for line in lines)
    servers = [line for line in lines if line.startswith("server ")]
    assert len(servers) >= 2 and all(" cookie " in line for line in servers)
    assert any(line.startswith("timeout tunnel") for line in lines)  # websockets stay open


def test_haproxy_drops_the_clients_forwarded_for_before_adding_its_own() -> None:
    """Issue 14: behind HAProxy the app trusted the first X-Forwarded-For value, which the client sets."""
    lines = [line.split("#")[0].strip() for line in (ROOT / "deploy" / "haproxy.cfg").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert "http-request del-header X-Forwarded-For" in lines and "option forwardfor" in lines
    assert lines.index("http-request del-header X-Forwarded-For") < lines.index("option forwardfor")


def test_the_caddyfile_pins_by_cookie_never_by_address() -> None:
    lines = [line.split("#")[0].strip() for line in (ROOT / "deploy" / "Caddyfile").read_text().splitlines()]
    lines = [line for line in lines if line]
    assert any(line.startswith("lb_policy cookie werkplaats_replica") for line in lines)
    assert not any(line.startswith("lb_policy") and ("ip_hash" in line or "client_ip" in line) for line in lines)
    assert "health_uri /api/health" in lines
