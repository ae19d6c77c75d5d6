"""A task definition drawn from its synthesized block: the task box, its containers (from `container_definitions`),
the image, the secret stores, environment files, EFS volumes and where each container's logs go.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .diagram_model import Diagram, Group
from .diagram_nodes import arn_tail
from .stack_document import Block, StackDocument, addresses_in

STORES = {"secretsmanager": "Secrets Manager", "ssm": "SSM Parameter Store"}


class TaskDrawing:
    """Draws one task definition; `claimed` maps the data sources it draws to their node, `arns` maps the ARN
    (without `arn:<partition>:`) of what its nodes stand for to the node, for the roles' policies to point at."""

    def __init__(self, diagram: Diagram, stack: StackDocument, task: Block, cluster: str | None, app: str | None):
        self.d, self.stack, self.task = diagram, stack, task
        self.claimed: dict[str, str] = {}
        self.arns: dict[str, str] = {}
        self.group = task.name
        platform = task.get("runtime_platform.cpu_architecture", "")
        diagram.groups.append(
            Group(
                task.name,
                f"Task {task.get('family')}: {task.get('cpu')} CPU / {task.get('memory')} MiB"
                + (f", {platform}" if platform else ""),
                parent=cluster,
                addresses=(task.address,),
            )
        )
        self.definitions: list[dict[str, Any]] = json.loads(task.get("container_definitions", "[]"))
        self.app = app or (self.definitions[0]["name"] if self.definitions else None)
        self.containers = {c["name"]: self._container(c) for c in self.definitions}

    def draw(self, log_groups: dict[str, str]) -> None:
        for definition in self.definitions:
            container = self.containers[definition["name"]]
            if definition["name"] == self.app:
                self._image(container, definition["image"])
            self._logs(container, definition.get("logConfiguration", {}), log_groups)
            self._environment_files(container, definition.get("environmentFiles", []))
        self._secrets()
        self._volumes()

    def _container(self, definition: dict[str, Any]) -> str:
        name = definition["name"]
        ports = [
            f":{p['containerPort']}" + ("/udp" if p.get("protocol") == "udp" else "")
            for p in definition.get("portMappings", [])
        ]
        firelens = definition.get("firelensConfiguration", {}).get("type")
        return self.d.node(
            _id(name),
            f"{name} (app)" if name == self.app else name,
            None if name == self.app else definition.get("image"),
            ("ports " + ", ".join(ports)) if ports else None,
            f"log router ({firelens})" if firelens else None,
            "read-only root filesystem" if definition.get("readonlyRootFilesystem") else None,
            kind="compute",
            group=self.group,
            addresses=(self.task.address,),
        )

    def _image(self, container: str, image: str) -> None:
        registry, reference = split_image(image)
        repository = _repository(reference)
        ecr = re.fullmatch(r"(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com", registry or "")
        node = self.d.node(
            "image",
            "ECR repository" if ecr else "Image",
            repository,
            f"registry {registry}" if registry else "Docker Hub",
            kind="storage",
            addresses=(self.task.address,),
        )
        self.d.edge(container, node, "image")
        if ecr:
            self.arns[f"ecr:{ecr.group(2)}:{ecr.group(1)}:repository/{repository}"] = node

    def _logs(self, container: str, config: dict[str, Any], log_groups: dict[str, str]) -> None:
        driver, options = config.get("logDriver"), config.get("options", {})
        if driver == "awslogs" and options.get("awslogs-group") in log_groups:
            self.d.edge(container, log_groups[options["awslogs-group"]], "awslogs")
            return
        router = next((self.containers[c["name"]] for c in self.definitions if c.get("firelensConfiguration")), None)
        if driver == "awsfirelens" and router is not None:
            self.d.edge(container, router, "awsfirelens")
            if options.get("Name"):
                self.d.edge(router, self._log_sink(f"Fluent Bit output {options['Name']}"), "logs")
        elif driver:
            self.d.edge(container, self._log_sink(f"{driver} log driver"), driver)

    def _log_sink(self, detail: str) -> str:
        """Where the task's logs go when not to CloudWatch Logs: one node, whatever sends to it."""
        return self.d.node("log_sink", "Log destination", detail, kind="observability", addresses=(self.task.address,))

    def _secrets(self) -> None:
        """One node per store listing what it holds; each container points at the stores it reads, labelled with the
        variables they fill."""
        entries: dict[str, list[str]] = {store: [] for store in STORES}
        reads: list[tuple[str, str, list[str]]] = []
        for definition in self.definitions:
            variables: dict[str, list[str]] = {store: [] for store in STORES}
            for secret in sorted(definition.get("secrets", []), key=lambda s: s["name"]):
                store, entry, arn = _secret(secret["valueFrom"])
                variables[store].append(secret["name"])
                if entry not in entries[store]:
                    entries[store].append(entry)
                self.arns[arn] = store
            container = self.containers[definition["name"]]
            reads += [(container, store, names) for store, names in variables.items() if names]
        for store, held in entries.items():
            if held:
                self.d.node(store, STORES[store], *held, kind="security", addresses=(self.task.address,))
        for container, store, filled in reads:
            self.d.edge(container, store, ", ".join(filled))

    def _environment_files(self, container: str, files: list[dict[str, str]]) -> None:
        if not files:
            return
        sources = [a for f in files for a in addresses_in(f["value"]) if a in self.stack.blocks]
        lines = [_file_line(f["value"], self.stack) for f in files]
        node = self.d.node("env_files", "S3 environment files", *lines, kind="storage", addresses=tuple(sources))
        self.claimed.update({address: node for address in sources})
        self.d.edge(container, node, "environment files")

    def _volumes(self) -> None:
        for volume in self.task.get("volume", []):
            efs = volume.get("efs_volume_configuration")
            if not efs:
                continue
            sources = [a for a in addresses_in(json.dumps(efs)) if a in self.stack.blocks]
            node = self.d.node(
                _id("efs_" + volume["name"]),
                f"EFS volume {volume['name']}",
                f"file system {_looked_up(efs.get('file_system_id', ''), self.stack)}",
                f"access point {_looked_up(efs.get('authorization_config', {}).get('access_point_id', ''), self.stack)}"
                if efs.get("authorization_config", {}).get("access_point_id")
                else "root directory, no access point",
                "transit encryption on" if efs.get("transit_encryption") == "ENABLED" else None,
                kind="storage",
                addresses=tuple(sources),
            )
            self.claimed.update({address: node for address in sources})
            for definition in self.definitions:
                mounts = [
                    f"{m['containerPath']} ({'ro' if m.get('readOnly') else 'rw'})"
                    for m in definition.get("mountPoints", [])
                    if m.get("sourceVolume") == volume["name"]
                ]
                if mounts:
                    self.d.edge(self.containers[definition["name"]], node, "mount " + ", ".join(mounts))


def split_image(image: str) -> tuple[str | None, str]:
    """(registry, repository:tag) by Docker's rule: the first part names a registry when it has a '.' or ':' or is
    localhost; otherwise the image is on Docker Hub (registry None)."""
    first, _, rest = image.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first, rest
    return None, image


def _repository(reference: str) -> str:
    """`repo/name` of `repo/name:tag` or `repo/name@sha256:...`."""
    name = reference.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    return (f"{head}/" if head else "") + last.split(":", 1)[0]


def _secret(value_from: str) -> tuple[str, str, str]:
    """(store, readable entry, ARN without `arn:<partition>:`) of a container secret's `valueFrom`."""
    parts = value_from.split(":")
    if parts[2] == "secretsmanager":
        key = parts[7] if len(parts) > 7 and parts[7] else None
        return "secretsmanager", parts[6] + (f" (key {key})" if key else ""), ":".join(parts[2:7])
    return "ssm", arn_tail(value_from).removeprefix("parameter"), ":".join(parts[2:])


def _looked_up(text: str, stack: StackDocument) -> str:
    """`id in SSM /name` for a value read from a data source's parameter, else the value itself."""
    for address in addresses_in(text):
        if address in stack.blocks and stack.blocks[address].get("name"):
            return f"id in SSM {stack.blocks[address].get('name')}"
    return text


def _file_line(value: str, stack: StackDocument) -> str:
    path = value.rsplit("}", 1)[-1].lstrip("/") if "}" in value else arn_tail(value)
    names = [stack.blocks[a].get("name") for a in addresses_in(value) if a in stack.blocks]
    return f"{path} (bucket named in SSM {names[0]})" if names else path


def _id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)
