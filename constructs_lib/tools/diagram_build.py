"""One service's stack as a `Diagram`, drawn from the env file alone (no synthesis, no cdktf)."""

from __future__ import annotations

import re

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames, stack_name

# Names the constructs give (container.py, service.py); repeated here to keep this module free of cdktf.
from ..constructs.conventions import (
    CODEDEPLOY_TEST_LISTENER_PORT,
    DEFAULT_CAPACITY_STRATEGY,
    LOG_ROUTER_CONTAINER,
    XRAY_CONTAINER,
)
from .diagram_model import Diagram, Group


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
