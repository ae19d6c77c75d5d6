"""`diagram ENV_FILE`: the graph of each service's stack as Mermaid and DOT text, and (when Graphviz is installed)
rendered to SVG and PNG by the real `dot`."""

from __future__ import annotations

import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from constructs_lib.tools import diagram as diagram_module
from constructs_lib.config import validate_env_data
from constructs_lib.tools.diagram import write_diagrams
from constructs_lib.tools.diagram_build import build, split_image
from constructs_lib.tools.diagram_render import to_dot, to_mermaid

REPO = Path(__file__).resolve().parent.parent
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed (apt-get install graphviz)")
SHARED_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"


def run(*args: str, cwd: Path = REPO, path: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, from any working folder
    if path is not None:
        environment["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=120,
    )


def env_of(data: dict[str, Any]):
    return validate_env_data(copy.deepcopy(data), "test.json")


def mermaid_edges(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "-->" in line or "-.->" in line]


def rich(dev_data: dict[str, Any]) -> dict[str, Any]:
    """The app service with every optional box: admin listener, CodeDeploy, sidecar, X-Ray, FireLens, scaling."""
    data = copy.deepcopy(dev_data)
    data["services"][0].update(
        admin_public=True, deployment_ownership="codedeploy", xray=True, enable_execute_command=True,
        firelens={"options": {"Name": "datadog"}}, log_driver={"name": "awsfirelens"},
        sidecars=[{"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29", "ports": [9901],
                   "secrets": {"TOKEN": {"name": "envoy-token", "value_from": "PARAM"}}}],
        autoscaling={"min_capacity": 2, "max_capacity": 6, "cpu_target_percent": 60},
        capacity_provider_strategy=[{"capacity_provider": "FARGATE", "weight": 1, "base": 1},
                                    {"capacity_provider": "FARGATE_SPOT", "weight": 3}],
        service_connect={"namespace": "acme-dev"},
    )
    return data


# --------------------------------------------------------------------------------------------- Mermaid


def test_mermaid_of_the_dev_app_service(dev_data: dict[str, Any]) -> None:
    env = env_of(dev_data)
    text = to_mermaid(build(env, env.services[0]))
    assert text.startswith("%% dev-app-service (111111111111, eu-west-1)\nflowchart LR\n")
    for node in (
        'clients(["<b>Internet</b><br/>allowed: CloudFront (pl-4fa04526)"])',
        'dns["<b>Route53 A alias</b><br/>api.dev.acme.io<br/>zone Z1D633PJN98FT9"]',
        'alb["<b>ALB acme-dev-app-alb</b><br/>internet-facing<br/>WAF web ACL<br/>access logs s3://acme-dev-access-logs"]',
        'listener_443["<b>HTTPS :443</b><br/>ACM certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]',
        'listener_80["<b>HTTP :80</b><br/>redirect 301 to HTTPS"]',
        'tg["<b>Target group acme-dev-app-service-1b5c</b><br/>HTTP :8000, ip targets<br/>health /health"]',
        'subgraph cluster["ECS cluster acme-dev-app-cluster"]',
        'service["<b>ECS service acme-dev-app-service</b><br/>2 tasks<br/>FARGATE_SPOT 2 : FARGATE 1<br/>deployments: terraform"]',
        'subgraph task["Task acme-dev-app-service: 512 CPU / 1024 MiB, X86_64"]',
        'app["<b>app-service (app)</b><br/>acme-devops-app-backend:1.4.2<br/>ports :8000, :8001<br/>read-only root filesystem"]',
        'execution_role["<b>Execution role</b><br/>acme-dev-app-service-execution<br/>starts the tasks"]',
        'task_role["<b>Task role</b><br/>acme-dev-app-service-task<br/>the running app"]',
        'image[("<b>ECR repository</b><br/>acme-devops-app-backend<br/>registry 999999999999.dkr.ecr.eu-west-1.amazonaws.com")]',
        'log_group[("<b>CloudWatch log group</b><br/>/ecs/acme-dev-app-service<br/>retention 30 days<br/>KMS-encrypted")]',
        'secretsmanager["<b>Secrets Manager</b><br/>db-credentials-abc123 (key connection_string)"]',
        'ssm["<b>SSM Parameter Store</b><br/>/acme/dev/external-api-key"]',
        'env_files[("<b>S3 environment files</b><br/>app-config: dev/config.env<br/>shared-config: common/database.env'
        '<br/>bucket names in SSM /acme/dev/s3/#lt;name#gt;/name")]',
        'efs_shared_data[("<b>EFS volume shared-data</b><br/>file system /acme/dev/efs/shared/id<br/>access point '
        '/acme/dev/efs/access-points/app_data/id<br/>transit encryption on")]',
        'rds[("<b>RDS IAM authentication</b><br/>arn:aws:rds-db:eu-west-1:111111111111:dbuser:*/app-service")]',
    ):
        assert f"  {node}\n" in text or f"    {node}\n" in text or f"      {node}\n" in text, node
    assert mermaid_edges(text) == [
        'clients -->|"resolve"| dns',
        'dns -->|"A alias"| alb',
        "alb --> listener_443",
        "alb --> listener_80",
        'listener_80 -.->|"301"| listener_443',
        'listener_443 -->|"forward"| tg',
        'tg -->|"register tasks"| service',
        'service -->|"runs"| task',
        'task -.->|"execution role"| execution_role',
        'task -.->|"task role"| task_role',
        'app -->|"image"| image',
        'execution_role -.->|"pull"| image',
        'app -->|"awslogs"| log_group',
        'execution_role -.->|"read at start"| secretsmanager',
        'execution_role -.->|"read at start"| ssm',
        'app -->|"DATABASE_URL"| secretsmanager',
        'app -->|"API_KEY"| ssm',
        'app -->|"environment files"| env_files',
        'execution_role -.->|"read"| env_files',
        'app -->|"mount /app/data (rw)"| efs_shared_data',
        'task_role -.->|"IAM mount"| efs_shared_data',
        'task_role -.->|"rds-db:connect"| rds',
    ]
    assert "  class dns,tg,alb,listener_443,listener_80 network\n" in text
    assert "  classDef security fill:#FDECEA,stroke:#DD344C,color:#000\n" in text


def test_the_task_box_nests_in_the_cluster_box(dev_data: dict[str, Any]) -> None:
    env = env_of(dev_data)
    lines = to_mermaid(build(env, env.services[1])).splitlines()
    start = lines.index('  subgraph cluster["ECS cluster acme-dev-docs-cluster"]')
    assert lines[start + 1].startswith('    service["<b>ECS service acme-dev-docs</b>')
    assert lines[start + 2] == '    subgraph task["Task acme-dev-docs: 256 CPU / 512 MiB, X86_64"]'
    assert lines[start + 3] == '      app["<b>docs (app)</b><br/>nginx:1.27-alpine<br/>ports :80<br/>read-only root filesystem"]'
    assert lines[start + 4: start + 6] == ["    end", "  end"]
    assert 'image[("<b>Image</b><br/>nginx<br/>Docker Hub")]' in "\n".join(lines)
    assert "pull" not in "\n".join(lines)  # no ECR: the execution role pulls nothing of ours


def test_optional_listeners_containers_and_links(dev_data: dict[str, Any]) -> None:
    env = env_of(rich(dev_data))
    text = to_mermaid(build(env, env.services[0]))
    edges = mermaid_edges(text)
    for edge in (
        "alb --> listener_admin",
        'listener_admin -->|"forward"| tg_admin',
        'tg_admin -->|"register tasks"| service',
        "alb --> listener_test",
        'listener_test -->|"forward"| tg_green',
        'tg_green -->|"CodeDeploy shifts traffic"| service',
        'app -->|"awsfirelens"| log_router',
        'log_router -->|"logs"| log_sink',
        'sidecar_envoy -->|"awslogs"| log_group',
        'xray -->|"awslogs"| log_group',
        'log_router -->|"awslogs"| log_group',
        'sidecar_envoy -->|"TOKEN"| ssm',
        'xray -->|"segments"| xray_service',
        'task_role -.->|"PutTraceSegments"| xray_service',
        'task_role -.->|"ECS Exec sessions"| log_group',
        'service -.->|"registers"| cloud_map',
    ):
        assert edge in edges, edge
    assert 'app -->|"awslogs"| log_group' not in edges  # the app logs through the router
    for label in (
        'listener_admin["<b>HTTPS :8001</b><br/>admin"]',
        'listener_test["<b>HTTPS :8443</b><br/>CodeDeploy test listener"]',
        "2 tasks, autoscaling 2-6<br/>FARGATE 1 (base 1) : FARGATE_SPOT 3<br/>deployments: codedeploy",
        'sidecar_envoy["<b>envoy (sidecar)</b><br/>public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29<br/>ports :9901"]',
        'xray["<b>xray-daemon</b><br/>X-Ray daemon, UDP :2000"]',
        'log_router["<b>log-router</b><br/>Fluent Bit (FireLens)"]',
        'ssm["<b>SSM Parameter Store</b><br/>/acme/dev/external-api-key<br/>/acme/dev/envoy-token"]',
    ):
        assert label in text, label


def test_a_service_on_a_shared_alb_shows_the_listener_and_its_rules(dev_data: dict[str, Any]) -> None:
    dev_data["services"][1].update(
        shared_alb={"listener_arn": SHARED_LISTENER, "security_group_id": "sg-0a1b2c3d4e5f60718"},
        listener_rules=[{"priority": 10, "path_patterns": ["/docs/*"], "host_headers": ["docs.dev.acme.io"]}],
    )
    env = env_of(dev_data)
    text = to_mermaid(build(env, env.services[1]))
    assert mermaid_edges(text)[:5] == [
        'clients -->|"resolve"| dns',
        'dns -->|"A alias"| listener_shared',
        "listener_shared --> rule_10",
        'rule_10 -->|"forward"| tg',
        'tg -->|"register tasks"| service',
    ]
    assert 'rule_10["<b>Listener rule 10</b><br/>paths /docs/*<br/>hosts docs.dev.acme.io"]' in text
    assert "alb[" not in text and "listener_443" not in text


def test_an_internal_alb_has_clients_in_the_vpc(dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["internal"] = True
    env = env_of(dev_data)
    text = to_mermaid(build(env, env.services[1]))
    assert 'clients(["<b>Clients in the VPC</b><br/>vpc-0a1b2c3d4e5f60718"])' in text
    assert "<br/>internal<br/>" in text


def test_label_text_is_escaped_for_mermaid_and_dot(dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["sidecars"] = [{"name": "odd", "image": 'reg.example.com/a&b:"1"<x>|y'}]
    env = env_of(dev_data)
    model = build(env, env.services[1])
    assert 'a#amp;b:#quot;1#quot;#lt;x#gt;#124;y' in to_mermaid(model)
    assert "a&amp;b:&quot;1&quot;&lt;x&gt;|y" in to_dot(model)


def test_names_that_map_to_the_same_id_get_their_own_nodes(dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["sidecars"] = [
        {"name": "agent-a", "image": "agent:1", "secrets": {"K1": {"name": "k1", "value_from": "PARAM"}}},
        {"name": "agent_a", "image": "agent:2", "secrets": {"K2": {"name": "k2", "value_from": "PARAM"}}},
    ]
    env = env_of(dev_data)
    text = to_mermaid(build(env, env.services[1]))
    assert 'sidecar_agent_a["<b>agent-a (sidecar)</b><br/>agent:1"]' in text
    assert 'sidecar_agent_a_2["<b>agent_a (sidecar)</b><br/>agent:2"]' in text
    edges = mermaid_edges(text)
    assert 'sidecar_agent_a -->|"K1"| ssm' in edges and 'sidecar_agent_a_2 -->|"K2"| ssm' in edges
    assert 'sidecar_agent_a_2 -->|"awslogs"| log_group' in edges


@pytest.mark.parametrize(("image", "expected"), [
    ("nginx:1.27-alpine", (None, "nginx:1.27-alpine")),
    ("myorg/app:1", (None, "myorg/app:1")),
    ("public.ecr.aws/appmesh/envoy:v1", ("public.ecr.aws", "appmesh/envoy:v1")),
    ("localhost:5000/x@sha256:ab", ("localhost:5000", "x@sha256:ab")),
])
def test_split_image(image: str, expected: tuple[str | None, str]) -> None:
    assert split_image(image) == expected


# --------------------------------------------------------------------------------------------- DOT


def test_dot_text_of_the_dev_app_service(dev_data: dict[str, Any]) -> None:
    env = env_of(dev_data)
    text = to_dot(build(env, env.services[0]))
    assert text.startswith('digraph "dev-app-service" {\n  graph [rankdir=TB, compound=true,')
    assert 'label="dev-app-service (111111111111, eu-west-1)"];' in text
    assert (
        '  dns [label=<<B>Route53 A alias</B><BR/><FONT POINT-SIZE="9">api.dev.acme.io</FONT><BR/>'
        '<FONT POINT-SIZE="9">zone Z1D633PJN98FT9</FONT>>, shape=box, fillcolor="#EDE7F6", color="#8C4FFF"];\n'
    ) in text
    assert "  subgraph cluster_cluster {\n" in text and "    subgraph cluster_task {\n" in text
    assert '      app [label=<<B>app-service (app)</B>' in text  # inside both boxes
    assert 'log_group [label=<<B>CloudWatch log group</B>' in text and "shape=cylinder" in text
    for edge in (
        '  clients -> dns [label="resolve"];',
        '  listener_80 -> listener_443 [label="301", style=dashed];',
        '  tg -> service [label="register tasks"];',
        '  service -> app [lhead=cluster_task, label="runs"];',
        '  app -> execution_role [ltail=cluster_task, label="execution role", style=dashed];',
        '  app -> efs_shared_data [label="mount /app/data (rw)"];',
    ):
        assert f"{edge}\n" in text, edge
    assert text.endswith("}\n")


@needs_dot
def test_dot_renders_every_variant_without_warnings(dev_data: dict[str, Any]) -> None:
    dev_data["services"][1].update(
        shared_alb={"listener_arn": SHARED_LISTENER, "security_group_id": "sg-0a1b2c3d4e5f60718"},
        listener_rules=[{"priority": 10, "path_patterns": ["/docs/*"]}],
    )
    env = env_of(rich(dev_data))
    for service in env.services:
        done = subprocess.run([DOT, "-Tsvg"], input=to_dot(build(env, service)), capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stderr) == (0, ""), service.service_name
        assert "<svg" in done.stdout


@needs_dot
def test_svg_rendered_by_graphviz(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    env = env_of(dev_data)
    paths = write_diagrams(env, tmp_path, "svg", DOT)
    assert paths == [tmp_path / "dev-app-service.svg", tmp_path / "dev-docs.svg"]
    root = ElementTree.parse(paths[0]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    for expected in ("Route53 A alias", "api.dev.acme.io", "HTTPS :443", "ECS service acme-dev-app-service",
                     "app-service (app)", "Execution role", "Secrets Manager", "EFS volume shared-data",
                     "/ecs/acme-dev-app-service", "dev-app-service (111111111111, eu-west-1)"):
        assert expected in texts, expected
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {"cluster_cluster", "cluster_task", "tg->service", "service->app", "app->log_group"} <= titles


@needs_dot
def test_png_rendered_by_graphviz(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    env = env_of(dev_data)
    (path, _) = write_diagrams(env, tmp_path, "png", DOT)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------- the command


def test_diagram_writes_one_file_per_service_and_prints_the_paths(tmp_path: Path) -> None:
    result = run("diagram", "envs/dev.json", "--outdir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    extension = "svg" if DOT else "mmd"
    expected = [tmp_path / "out" / f"dev-app-service.{extension}", tmp_path / "out" / f"dev-docs.{extension}"]
    assert result.stdout.splitlines() == [str(p) for p in expected]
    assert all(p.is_file() for p in expected)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in expected)


def test_default_outdir_is_diagrams(tmp_path: Path) -> None:
    result = run("diagram", str(REPO / "envs/prod.json"), "--format", "mermaid", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["diagrams/prod-app-service.mmd", "diagrams/prod-docs.mmd"]
    assert (tmp_path / "diagrams" / "prod-docs.mmd").read_text().startswith("%% prod-docs (222222222222, eu-west-1)\n")


@pytest.mark.parametrize(("format", "extension", "start"), [("mermaid", "mmd", "%% dev-docs"), ("dot", "dot", 'digraph "dev-docs"')])
def test_text_formats(tmp_path: Path, format: str, extension: str, start: str) -> None:
    result = run("diagram", "envs/dev.json", "--format", format, "--outdir", str(tmp_path))
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / f"dev-docs.{extension}").read_text().startswith(start)


def test_without_graphviz_svg_falls_back_to_mermaid_with_a_note(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run("diagram", "envs/dev.json", "--outdir", str(tmp_path / "out"), path=str(empty))
    assert result.returncode == 0
    assert result.stderr == (
        "note: Graphviz `dot` not found, writing Mermaid instead of svg (install Graphviz, e.g. apt-get install graphviz)\n"
    )
    assert result.stdout.splitlines() == [str(tmp_path / "out" / "dev-app-service.mmd"), str(tmp_path / "out" / "dev-docs.mmd")]


def test_an_invalid_file_writes_nothing(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    dev_data["services"][0]["application_port"] = 0
    (tmp_path / "bad.json").write_text(json.dumps(dev_data))
    result = run("diagram", "bad.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.json: services[0].application_port: ")
    assert not (tmp_path / "diagrams").exists()


def test_diagram_help() -> None:
    result = run("diagram", "--help")
    text = " ".join(result.stdout.split())
    assert result.returncode == 0
    assert "--format {dot,mermaid,png,svg}" in text and "--outdir OUTDIR" in text
    assert "Exit codes: 0 success, 1 dot failed, 2 invalid env file." in text


def test_diagram_does_not_start_jsii(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom constructs_lib.cli.main import main\n"
        f"assert main(['diagram', 'envs/dev.json', '--format', 'dot', '--outdir', {str(tmp_path)!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'cdktf_cdktf_provider_aws')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
