"""`diagram ENV_FILE`: a picture of each service's stack, drawn from the env file (no synthesis, no cdktf).

Clients -> Route53 record -> ALB -> listeners (443; 80 redirecting; the admin and CodeDeploy test listeners when
configured) -> target groups -> ECS service -> task containers (app, sidecars, X-Ray daemon, log router), with the
execution and task roles, the image, secrets (Secrets Manager, SSM), environment files, EFS volumes and the log
group. A service on a shared ALB shows the shared listener and its rules instead.

One graph model renders to Graphviz DOT (svg and png through the `dot` program, Debian package `graphviz`) and to
Mermaid. When svg or png is asked for and `dot` is not installed, Mermaid is written instead, with a note on
stderr. One file per service, `OUTDIR/<environment>-<service>.<svg|png|mmd|dot>`.

Exit codes: 0 success, 1 `dot` failed, 2 invalid env file.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import EnvConfig, ServiceConfig
from .service_names import ServiceNames, stack_name

# Names the constructs give (container.py, service.py); repeated here to keep this module free of cdktf.
from .conventions import (
    CODEDEPLOY_TEST_LISTENER_PORT,
    DEFAULT_CAPACITY_STRATEGY,
    LOG_ROUTER_CONTAINER,
    XRAY_CONTAINER,
)

EXTENSIONS = {"svg": "svg", "png": "png", "mermaid": "mmd", "dot": "dot"}
DOT_TIMEOUT_SECONDS = 60

# Kind -> (fill colour, border colour, DOT shape, Mermaid shape), in the AWS architecture icons' colour families.
STYLES = {
    "client": ("#ECEFF1", "#546E7A", "oval", "stadium"),
    "network": ("#EDE7F6", "#8C4FFF", "box", "box"),
    "compute": ("#FFF3E0", "#ED7100", "box", "box"),
    "security": ("#FDECEA", "#DD344C", "box", "box"),
    "storage": ("#F1F8E9", "#7AA116", "cylinder", "cylinder"),
    "observability": ("#FCE4EC", "#E7157B", "cylinder", "cylinder"),
}


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    lines: tuple[str, ...]
    kind: str
    group: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # a node id, or a group id (drawn to the group's box)
    label: str = ""
    style: str = "solid"  # solid | dashed


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    parent: str | None = None


@dataclass
class Diagram:
    name: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    def node(self, id: str, title: str, *lines: str | None, kind: str, group: str | None = None) -> str:
        """Add a node; returns its id, made unique (`id_2`, ...) when two names map to the same id."""
        taken = {node.id for node in self.nodes} | self.group_ids()
        unique, count = id, 1
        while unique in taken:
            count += 1
            unique = f"{id}_{count}"
        self.nodes.append(Node(unique, title, tuple(line for line in lines if line), kind, group))
        return unique

    def edge(self, source: str, target: str, label: str = "", style: str = "solid") -> None:
        self.edges.append(Edge(source, target, label, style))

    def group_ids(self) -> set[str]:
        return {group.id for group in self.groups}


# ------------------------------------------------------------------------------------------------- the model


def build(env: EnvConfig, service: ServiceConfig) -> Diagram:
    """The graph of one service's stack."""
    names = ServiceNames(env, service)
    diagram = Diagram(stack_name(env, service), f"{stack_name(env, service)} ({env.account_id}, {env.region})")
    target_groups = _load_balancing(diagram, env, service, names)
    containers = _compute(diagram, env, service, names, target_groups)
    _roles_and_data(diagram, env, service, names, containers)
    return diagram


def _load_balancing(
    diagram: Diagram, env: EnvConfig, service: ServiceConfig, names: ServiceNames
) -> list[tuple[str, str]]:
    """Clients, DNS, the ALB (or the shared listener) and the target groups; returns (target group id, edge label)."""
    d = diagram
    if service.shared_alb is not None:
        clients = d.node("clients", "Clients", "of the shared ALB", kind="client")
    elif service.internal:
        clients = d.node("clients", "Clients in the VPC", env.network.vpc_id, kind="client")
    else:
        sources = [f"CloudFront ({service.eu_west_cloudront_prefix_list_id})"]
        if service.alb_ingress_cidrs:
            sources.append(", ".join(service.alb_ingress_cidrs))
        clients = d.node("clients", "Internet", "allowed: " + " + ".join(sources), kind="client")
    dns = d.node("dns", "Route53 A alias", names.fqdn, f"zone {service.route53.hosted_zone_id}", kind="network")
    d.edge(clients, dns, "resolve")
    main_tg = d.node(
        "tg", f"Target group {names.target_group}", f"HTTP :{service.application_port}, ip targets",
        f"health {service.health_check_path}", kind="network",
    )
    groups = [(main_tg, "register tasks")]
    if service.shared_alb is not None:
        listener = d.node(
            "listener_shared", "Shared ALB HTTPS listener", _arn_tail(service.shared_alb.listener_arn), kind="network"
        )
        d.edge(dns, listener, "A alias")
        for rule in service.listener_rules:
            rule_id = d.node(
                f"rule_{rule.priority}", f"Listener rule {rule.priority}",
                ("paths " + ", ".join(rule.path_patterns)) if rule.path_patterns else None,
                ("hosts " + ", ".join(rule.host_headers)) if rule.host_headers else None, kind="network",
            )
            d.edge(listener, rule_id)
            d.edge(rule_id, main_tg, "forward")
        return groups
    alb = d.node(
        "alb", f"ALB {names.load_balancer}", "internal" if service.internal else "internet-facing",
        "WAF web ACL" if service.waf_web_acl_arn else None,
        f"access logs s3://{service.alb_access_logs.bucket}" if service.alb_access_logs else None, kind="network",
    )
    d.edge(dns, alb, "A alias")
    certificate = (
        "ACM certificate (created, DNS-validated)" if service.create_certificate
        else "ACM " + _arn_tail(names.certificate_arn or "")
    )
    https = d.node("listener_443", "HTTPS :443", certificate, kind="network")
    http = d.node("listener_80", "HTTP :80", "redirect 301 to HTTPS", kind="network")
    d.edge(alb, https)
    d.edge(alb, http)
    d.edge(http, https, "301", style="dashed")
    d.edge(https, main_tg, "forward")
    if service.admin_public and service.admin_port is not None:
        admin = d.node("listener_admin", f"HTTPS :{service.admin_port}", "admin", kind="network")
        admin_tg = d.node(
            "tg_admin", f"Target group {names.admin_target_group}", f"HTTP :{service.admin_port} (admin)", kind="network"
        )
        d.edge(alb, admin)
        d.edge(admin, admin_tg, "forward")
        groups.append((admin_tg, "register tasks"))
    if service.deployment_ownership == "codedeploy":
        test = d.node(
            "listener_test", f"HTTPS :{CODEDEPLOY_TEST_LISTENER_PORT}", "CodeDeploy test listener", kind="network"
        )
        green = d.node("tg_green", f"Target group {names.green_target_group}", "green (blue/green)", kind="network")
        d.edge(alb, test)
        d.edge(test, green, "forward")
        groups.append((green, "CodeDeploy shifts traffic"))
    return groups


def _compute(
    diagram: Diagram, env: EnvConfig, service: ServiceConfig, names: ServiceNames, target_groups: list[tuple[str, str]]
) -> dict[str, str]:
    """The cluster, the service and the task's containers; returns container name -> node id."""
    d = diagram
    d.groups.append(Group("cluster", f"ECS cluster {names.cluster}"))
    d.groups.append(Group("task", f"Task {names.service}: {service.cpu} CPU / {service.memory_limit_mib} MiB, "
                                  f"{service.cpu_architecture}", parent="cluster"))
    strategy = (
        [(i.capacity_provider, i.weight, i.base) for i in service.capacity_provider_strategy]
        if service.capacity_provider_strategy else DEFAULT_CAPACITY_STRATEGY
    )
    scaling = service.autoscaling
    svc = d.node(
        "service", f"ECS service {names.service}",
        f"{service.desired_count} task{'' if service.desired_count == 1 else 's'}"
        + (f", autoscaling {scaling.min_capacity}-{scaling.max_capacity}" if scaling else ""),
        " : ".join(f"{p} {w}" + (f" (base {b})" if b else "") for p, w, b in strategy),
        f"deployments: {service.deployment_ownership}", kind="compute", group="cluster",
    )
    for tg, label in target_groups:
        d.edge(tg, svc, label)
    d.edge(svc, "task", "runs")
    ports = [service.application_port] + ([service.admin_port] if service.admin_active and service.admin_port else [])
    containers = {service.service_name: d.node(
        "app", f"{service.service_name} (app)", split_image(names.image)[1], "ports " + ", ".join(f":{p}" for p in ports),
        "read-only root filesystem" if service.readonly_root_filesystem else None, kind="compute", group="task",
    )}
    for sidecar in service.sidecars:
        containers[sidecar.name] = d.node(
            _id("sidecar", sidecar.name), f"{sidecar.name} (sidecar)", sidecar.image,
            ("ports " + ", ".join(f":{p}" for p in sidecar.ports)) if sidecar.ports else None,
            kind="compute", group="task",
        )
    if service.xray:
        containers[XRAY_CONTAINER] = d.node("xray", XRAY_CONTAINER, "X-Ray daemon, UDP :2000", kind="compute", group="task")
    if service.firelens:
        containers[LOG_ROUTER_CONTAINER] = d.node(
            "log_router", LOG_ROUTER_CONTAINER, "Fluent Bit (FireLens)", kind="compute", group="task"
        )
    if service.service_connect is not None:
        cloud_map = d.node(
            "cloud_map", "Service Connect", f"namespace {service.service_connect.namespace}", kind="network"
        )
        d.edge(svc, cloud_map, "registers", style="dashed")
    elif service.service_discovery is not None:
        discovery = service.service_discovery
        cloud_map = d.node(
            "cloud_map", "Cloud Map", f"{discovery.record_type} records in {discovery.namespace_id}", kind="network"
        )
        d.edge(svc, cloud_map, "registers", style="dashed")
    return containers


def _roles_and_data(
    diagram: Diagram, env: EnvConfig, service: ServiceConfig, names: ServiceNames, containers: dict[str, str]
) -> None:
    d, naming = diagram, env.naming
    app = containers[service.service_name]
    router = containers.get(LOG_ROUTER_CONTAINER)
    execution = d.node("execution_role", "Execution role", names.execution_role, "starts the tasks", kind="security")
    task_role = d.node("task_role", "Task role", names.task_role, "the running app", kind="security")
    d.edge("task", execution, "execution role", style="dashed")
    d.edge("task", task_role, "task role", style="dashed")

    registry, reference = split_image(names.image)
    image = d.node(
        "image", "ECR repository" if names.image_repository_arn else "Image", _repository(reference),
        f"registry {registry}" if registry else "Docker Hub", kind="storage",
    )
    d.edge(app, image, "image")
    if names.image_repository_arn:
        d.edge(execution, image, "pull", style="dashed")

    log_group = d.node(
        "log_group", "CloudWatch log group", names.log_group, f"retention {service.log_retention_days} days",
        "KMS-encrypted" if env.kms_key_arn else None, kind="observability",
    )
    app_driver = service.log_driver.name
    if app_driver == "awslogs":
        d.edge(app, log_group, "awslogs")
    elif app_driver == "awsfirelens" and service.firelens and router:
        d.edge(app, router, "awsfirelens")
        destination = service.firelens.options.get("Name")
        if destination:
            sink = d.node("log_sink", "Log destination", f"Fluent Bit output {destination}", kind="observability")
            d.edge(router, sink, "logs")
    else:
        sink = d.node("log_sink", "Log destination", f"{app_driver} log driver", kind="observability")
        d.edge(app, sink, app_driver)
    for name, container in containers.items():
        if name != service.service_name:  # sidecars, X-Ray daemon and log router log with awslogs
            d.edge(container, log_group, "awslogs")

    _secrets(d, env, service, containers)
    if service.environment_files:
        files = d.node(
            "env_files", "S3 environment files",
            *[f"{f.bucket_base_name}: {f.file_path}" for f in service.environment_files],
            f"bucket names in SSM {naming.env_file_bucket_parameter('<name>')}", kind="storage",
        )
        d.edge(app, files, "environment files")
        d.edge(execution, files, "read", style="dashed")
    mounts = service.efs_config.mount_points if service.efs_config else []
    for volume in service.efs_config.volumes if service.efs_config else []:
        efs = d.node(
            _id("efs", volume.volume_name), f"EFS volume {volume.volume_name}",
            f"file system {naming.efs_file_system_parameter(volume.efs_parameter_key_suffix)}",
            f"access point {naming.efs_access_point_parameter(volume.ap_parameter_key_suffix)}"
            if volume.ap_parameter_key_suffix else "root directory, no access point",
            "transit encryption on", kind="storage",
        )
        paths = [
            f"{m.container_path} ({'ro' if m.read_only else 'rw'})" for m in mounts if m.volume_name == volume.volume_name
        ]
        d.edge(app, efs, "mount " + ", ".join(paths) if paths else "volume (not mounted)")
        if volume.ap_parameter_key_suffix:
            d.edge(task_role, efs, "IAM mount", style="dashed")
    if service.use_iam_authentication:
        database = d.node("rds", "RDS IAM authentication", names.iam_db_user_arn, kind="storage")
        d.edge(task_role, database, "rds-db:connect", style="dashed")
    if service.xray:
        xray = d.node("xray_service", "AWS X-Ray", "traces", kind="observability")
        d.edge(containers[XRAY_CONTAINER], xray, "segments")
        d.edge(task_role, xray, "PutTraceSegments", style="dashed")
    if service.enable_execute_command:
        d.edge(task_role, log_group, "ECS Exec sessions", style="dashed")


def _secrets(diagram: Diagram, env: EnvConfig, service: ServiceConfig, containers: dict[str, str]) -> None:
    """One node per store (Secrets Manager, SSM) listing what it holds; each container points at the stores it
    reads, labelled with the variables they fill."""
    d = diagram
    readers = [(containers[service.service_name], service.parameters.secrets)]
    readers += [(containers[sidecar.name], sidecar.secrets) for sidecar in service.sidecars]
    stores: dict[str, list[str]] = {"secretsmanager": [], "ssm": []}
    reads: list[tuple[str, str, list[str]]] = []  # (container, store, variables)
    for container, secrets in readers:
        variables: dict[str, list[str]] = {"secretsmanager": [], "ssm": []}
        for variable, secret in sorted(secrets.items()):
            if secret.value_from == "SECRET":
                store, entry = "secretsmanager", _arn_tail(secret.arn or "").removeprefix("secret:")
                entry += f" (key {secret.suffix})" if secret.suffix else ""
            else:
                store, entry = "ssm", env.naming.secret_parameter(secret.name)
            variables[store].append(variable)
            if entry not in stores[store]:
                stores[store].append(entry)
        reads += [(container, store, names) for store, names in variables.items() if names]
    titles = {"secretsmanager": "Secrets Manager", "ssm": "SSM Parameter Store"}
    for store, entries in stores.items():
        if entries:
            d.node(store, titles[store], *entries, kind="security")
            d.edge("execution_role", store, "read at start", style="dashed")
    for container, store, variables in reads:
        d.edge(container, store, ", ".join(variables))


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


def _arn_tail(arn: str) -> str:
    """The readable end of an ARN (`secret:db-credentials-abc123`, `certificate/0f1e...`)."""
    if not arn.startswith("arn:"):
        return arn
    return arn.split(":", 5)[-1]


def _id(prefix: str, name: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"


# ------------------------------------------------------------------------------------------------- renderers


def to_dot(diagram: Diagram) -> str:
    """Graphviz DOT: left to right, the ECS cluster and the task as boxes, AWS colour families per kind."""
    groups = diagram.group_ids()
    out = [
        f"digraph {_dot_string(diagram.name)} {{",
        f'  graph [rankdir=TB, compound=true, fontname="Helvetica", fontsize=14, labelloc=t, nodesep=0.35, '
        f'ranksep=0.6, pad=0.3, label={_dot_string(diagram.title)}];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#5F6368", fontcolor="#37474F"];',
    ]
    for node in (n for n in diagram.nodes if n.group is None):
        out.append("  " + _dot_node(node))
    out += _dot_groups(diagram, None, "  ")
    first_in = {group: _first_node(diagram, group) for group in groups}
    for edge in diagram.edges:
        attributes = []
        source, target = edge.source, edge.target
        if source in groups:
            attributes.append(f"ltail=cluster_{source}")
            source = first_in[source]
        if target in groups:
            attributes.append(f"lhead=cluster_{target}")
            target = first_in[target]
        if edge.label:
            attributes.append(f"label={_dot_string(edge.label)}")
        if edge.style != "solid":
            attributes.append(f"style={edge.style}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"  {source} -> {target}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_groups(diagram: Diagram, parent: str | None, indent: str) -> list[str]:
    out = []
    for group in (g for g in diagram.groups if g.parent == parent):
        out.append(f"{indent}subgraph cluster_{group.id} {{")
        out.append(f'{indent}  label={_dot_string(group.label)}; style="rounded,dashed"; color="#ED7100"; '
                   f'fontname="Helvetica"; fontsize=11; margin=12;')
        out += [f"{indent}  {_dot_node(n)}" for n in diagram.nodes if n.group == group.id]
        out += _dot_groups(diagram, group.id, indent + "  ")
        out.append(f"{indent}}}")
    return out


def _dot_node(node: Node) -> str:
    fill, border, shape, _ = STYLES[node.kind]
    label = f"<B>{html.escape(node.title)}</B>" + "".join(
        f'<BR/><FONT POINT-SIZE="9">{html.escape(line)}</FONT>' for line in node.lines
    )
    return f'{node.id} [label=<{label}>, shape={shape}, fillcolor="{fill}", color="{border}"];'


def _first_node(diagram: Diagram, group: str) -> str:
    for node in diagram.nodes:
        if node.group == group:
            return node.id
    for child in diagram.groups:
        if child.parent == group:
            return _first_node(diagram, child.id)
    raise ValueError(f"group {group!r} has no node")


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mermaid(diagram: Diagram) -> str:
    """A Mermaid flowchart (GitHub and GitLab render it in Markdown)."""
    out = [f"%% {diagram.title}", "flowchart LR"]
    out += [f"  {_mermaid_node(n)}" for n in diagram.nodes if n.group is None]
    out += _mermaid_groups(diagram, None, "  ")
    arrows = {"solid": "-->", "dashed": "-.->"}
    for edge in diagram.edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        out.append(f"  {edge.source} {arrows[edge.style]}{label} {edge.target}")
    for kind, (fill, border, _, _) in STYLES.items():
        out.append(f"  classDef {kind} fill:{fill},stroke:{border},color:#000")
    for kind in STYLES:
        members = [n.id for n in diagram.nodes if n.kind == kind]
        if members:
            out.append(f"  class {','.join(members)} {kind}")
    return "\n".join(out) + "\n"


def _mermaid_groups(diagram: Diagram, parent: str | None, indent: str) -> list[str]:
    out = []
    for group in (g for g in diagram.groups if g.parent == parent):
        out.append(f'{indent}subgraph {group.id}["{_mermaid_text(group.label)}"]')
        out += [f"{indent}  {_mermaid_node(n)}" for n in diagram.nodes if n.group == group.id]
        out += _mermaid_groups(diagram, group.id, indent + "  ")
        out.append(f"{indent}end")
    return out


def _mermaid_node(node: Node) -> str:
    text = "<br/>".join([f"<b>{_mermaid_text(node.title)}</b>", *(_mermaid_text(line) for line in node.lines)])
    shape = STYLES[node.kind][3]
    opening, closing = {"stadium": ('(["', '"])'), "cylinder": ('[("', '")]'), "box": ('["', '"]')}[shape]
    return f"{node.id}{opening}{text}{closing}"


def _mermaid_text(text: str) -> str:
    """Mermaid entity codes for the characters its label syntax would read."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")


# ------------------------------------------------------------------------------------------------- the command


def write_diagrams(env: EnvConfig, outdir: Path, format: str, dot: str | None) -> list[Path]:
    """Write one file per service; svg and png need the `dot` program (`dot` is its path)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for service in env.services:
        diagram = build(env, service)
        path = outdir / f"{diagram.name}.{EXTENSIONS[format]}"
        if format == "mermaid":
            path.write_text(to_mermaid(diagram))
        elif format == "dot":
            path.write_text(to_dot(diagram))
        else:
            assert dot is not None
            _render(dot, to_dot(diagram), format, path)
        written.append(path)
    return written


def _render(dot: str, source: str, format: str, path: Path) -> None:
    done = subprocess.run(
        [dot, f"-T{format}", "-o", str(path)], input=source, text=True, capture_output=True, timeout=DOT_TIMEOUT_SECONDS
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot -T{format} failed for {path.name}: {done.stderr.strip()}")


def _run(args: argparse.Namespace) -> int:
    from .cli import load_env_files  # the CLI imports this module; import back only when running

    (env,) = load_env_files([args.env_file])
    format = args.format
    dot = shutil.which("dot")
    if format in ("svg", "png") and dot is None:
        print(f"note: Graphviz `dot` not found, writing Mermaid instead of {format} "
              "(install Graphviz, e.g. apt-get install graphviz)", file=sys.stderr)
        format = "mermaid"
    for path in write_diagrams(env, Path(args.outdir), format, dot):
        print(path)
    return 0


def register(commands: Any) -> None:
    """Add the `diagram` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "diagram",
        help="draw each service's stack as SVG or PNG (Graphviz), or Mermaid",
        description="Draw each service's stack from the env file, one file per service named "
        "<environment>-<service>.<ext> in OUTDIR: clients -> Route53 record -> ALB listeners -> target group -> "
        "ECS service -> containers, with the execution and task roles, image, secrets, environment files, EFS "
        "volumes and log group. svg and png need Graphviz's `dot` (Debian: apt-get install graphviz); without it "
        "Mermaid (.mmd) is written instead, with a note on stderr. The written paths are printed.",
        epilog="Exit codes: 0 success, 1 dot failed, 2 invalid env file.",
    )
    parser.add_argument("env_file", metavar="ENV_FILE")
    parser.add_argument(
        "--format", choices=sorted(EXTENSIONS), default="svg",
        help="svg or png (Graphviz), mermaid (.mmd) or dot (Graphviz source) (default: svg)",
    )
    parser.add_argument("--outdir", default="diagrams", help="folder the files are written to (default: diagrams)")
    parser.set_defaults(run=_run)
