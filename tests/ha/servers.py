"""Real Redis topologies on loopback for the failover tests: a primary with a replica and three
sentinels, or a Cluster of three primaries with a replica each, all from the system's
``redis-server`` (7 or later: sharded pub/sub), in a temporary folder, stopped by the tests.

Ports come from ``WERKPLAATS_HA_PORTS`` (default 6600): the first free ones from there on whose
cluster-bus port (port + 10000) is free as well.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import redis

MASTER = "werkplaats"


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    start = int(os.environ.get("WERKPLAATS_HA_PORTS", "6600"))
    found = [p for p in range(start, start + 2000) if _free(p) and _free(p + 10000)][:count]
    assert len(found) == count, "no free ports for the test's redis servers"
    return found


def wait_for(what: str, check: Callable[[], bool], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            if check():
                return
        except redis.RedisError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within:.0f} s")
        time.sleep(0.1)


@dataclass
class Node:
    port: int
    process: subprocess.Popen[bytes]
    args: list[str]

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)

    def kill(self) -> None:
        """kill -9: no shutdown, no last save, connections cut."""
        self.process.kill()
        self.process.wait()


@dataclass
class Topology:
    server: str
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="werkplaats-ha-")))
    nodes: list[Node] = field(default_factory=list)

    def start(self, port: int, *extra: str, config: str | None = None) -> Node:
        work = self.folder / str(port)
        work.mkdir(exist_ok=True)
        args = [self.server]
        if config is not None:  # a sentinel rewrites its config file: each gets its own
            path = work / "sentinel.conf"
            path.write_text(config)
            args.append(str(path))
        args += ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(work), "--save", "",
                 "--appendonly", "no", "--logfile", str(work / "log"), *extra]
        node = Node(port, subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), args)
        wait_for(f"redis on {port}", lambda: bool(node.client().ping()), within=10)
        self.nodes.append(node)
        return node

    def restart(self, node: Node, *extra: str) -> Node:
        """The same port and folder again (a machine that came back), with ``extra`` arguments."""
        self.nodes.remove(node)
        return self.start(node.port, *extra)

    def stop(self) -> None:
        for node in self.nodes:
            if node.process.poll() is None:
                node.process.kill()
                node.process.wait()


def sentinel_config(primary: int) -> str:
    return (f"sentinel monitor {MASTER} 127.0.0.1 {primary} 2\n"
            f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 10000\n"
            f"sentinel parallel-syncs {MASTER} 1\n")


def cluster_args() -> list[str]:
    return ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000"]


def create_cluster(topology: Topology, ports: list[int]) -> list[Node]:
    """Three primaries with a replica each (``redis-cli --cluster create … --cluster-replicas 1``)."""
    nodes = [topology.start(port, *cluster_args()) for port in ports]
    done = subprocess.run(
        ["redis-cli", "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports), "--cluster-replicas", "1",
         "--cluster-yes"], capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for node in nodes:
        wait_for(f"cluster state on {node.port}", partial(cluster_ok, node))
    for node in nodes:
        if replication(node)["role"] == "slave":
            wait_for(f"replica {node.port} in sync", partial(in_sync, node))
    return nodes


def replication(node: Node) -> dict[str, Any]:
    info: Any = node.client().info("replication")
    return dict(info)


def in_sync(node: Node) -> bool:
    return bool(replication(node).get("master_link_status") == "up")


def cluster_ok(node: Node) -> bool:
    info: Any = node.client().execute_command("CLUSTER INFO")
    return bool(info.get("cluster_state") == "ok") if isinstance(info, dict) else "cluster_state:ok" in str(info)
