"""`diagram ENV_FILE`: the picture of each service's stack, held against the synthesized stack it is drawn from
(every block drawn, no node the stack lacks), as Mermaid and DOT text, and (when Graphviz is installed) rendered to
SVG and PNG by the real `dot`. The env files are synthesized once per module."""

from __future__ import annotations

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
from conftest import ENVS, drop_own_alb_keys

from constructs_lib.tools.diagram import write_diagrams
from constructs_lib.tools.diagram_build import build
from constructs_lib.tools.diagram_render import to_dot, to_mermaid
from constructs_lib.tools.diagram_task import split_image
from constructs_lib.tools.stack_document import StackDocument, addresses_in

REPO = Path(__file__).resolve().parent.parent
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed (apt-get install graphviz)")
SHARED_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
ENV_FILES = sorted(p.name for p in ENVS.glob("*.json"))
# The blocks that must each have a node of their own (not only a line inside another's).
OWN_NODE = ("aws_ecs_service", "aws_lb", "aws_lb_target_group", "aws_iam_role", "aws_cloudwatch_log_group",
            "aws_lb_listener", "aws_route53_record")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """Every shipped env file's stacks, synthesized once: stack name -> parsed cdk.tf.json."""
    from constructs_lib.cli.synth import synthesize
    from constructs_lib.config import load_env_files

    outdir = tmp_path_factory.mktemp("diagram") / "cdktf.out"
    synthesize(load_env_files([ENVS / name for name in ENV_FILES]), outdir)
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


def run(*args: str, cwd: Path = REPO, path: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, from any working folder
    if path is not None:
        environment["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=180,
    )


def mermaid_edges(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "-->" in line or "-.->" in line]


def drawn(document: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Node or box id -> the addresses it draws."""
    diagram = build(document)
    return {**{g.id: g.addresses for g in diagram.groups}, **{n.id: n.addresses for n in diagram.nodes}}


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


# --------------------------------------------------------------------------------------------- against the stack


def test_every_shipped_stack_is_drawn(shipped) -> None:
    assert len(shipped) >= 7 and {name.split("-", 1)[0] for name in shipped} == {"dev", "prod", "staging"}


@pytest.mark.parametrize("stack", ["dev-app-service", "dev-docs", "prod-app-service", "prod-docs",
                                   "staging-app-service", "staging-docs", "staging-reports", "staging-orders-worker",
                                   "staging-nightly-report"])
def test_the_picture_draws_every_block_of_the_stack_and_nothing_else(shipped, stack: str) -> None:
    document = shipped[stack]
    blocks = StackDocument(document).blocks
    nodes = drawn(document)
    assert all(nodes.values()), [id for id, addresses in nodes.items() if not addresses]  # each node from the JSON
    assert {a for addresses in nodes.values() for a in addresses} == set(blocks)  # every block, no other
    own = {addresses[0] for addresses in nodes.values()}
    wanted = {a for a, block in blocks.items() if block.type in OWN_NODE and not a.startswith("aws_route53_record.cert")}
    assert wanted <= own, sorted(wanted - own)
    expected = {"aws_iam_role.task_role", "aws_iam_role.execution_role", "aws_cloudwatch_log_group.logs"}
    expected |= {"aws_scheduler_schedule.schedule"} if stack.endswith("-nightly-report") else {"aws_ecs_service.service"}
    expected |= set() if stack.endswith(("-orders-worker", "-nightly-report")) else {"aws_lb_target_group.alb_target_group"}
    assert expected <= own


@pytest.mark.parametrize("stack", ["dev-app-service", "staging-app-service", "staging-docs"])
def test_every_load_balancer_reference_is_an_arrow(shipped, stack: str) -> None:
    """The listeners forward to the target groups and the service registers with them, as the JSON wires them."""
    document, edges = shipped[stack], build(shipped[stack]).edges
    arrows = {(e.source, e.target, e.label) for e in edges}
    for name, listener in document["resource"]["aws_lb_listener"].items():
        for action in listener["default_action"]:
            if action["type"] == "forward":
                target = addresses_in(action["target_group_arn"])[0].split(".")[1]
                assert (name, target, "forward") in arrows
        assert ("alb", name, "") in arrows
    for balanced in document["resource"]["aws_ecs_service"]["service"]["load_balancer"]:
        target = addresses_in(balanced["target_group_arn"])[0].split(".")[1]
        assert (target, "service", "register tasks") in arrows


def test_a_block_the_builder_does_not_know_still_gets_a_node(shipped) -> None:
    document = copy.deepcopy(shipped["dev-docs"])
    document["resource"]["aws_sqs_queue"] = {"jobs": {"name": "acme-jobs", "policy": "$${aws_lb.alb.arn} literal"}}
    document["resource"]["aws_ecs_service"]["service"]["tags"] = {"queue": "${aws_sqs_queue.jobs.url}"}
    diagram = build(document)
    (queue,) = [n for n in diagram.nodes if n.addresses == ("aws_sqs_queue.jobs",)]
    assert (queue.title, queue.lines) == ("sqs queue jobs", ("acme-jobs",))
    assert [(e.source, e.target) for e in diagram.edges if "jobs" in (e.source, e.target)] == [("service", "jobs")]


# --------------------------------------------------------------------------------------------- Mermaid


def test_mermaid_of_the_dev_app_service(shipped) -> None:
    text = to_mermaid(build(shipped["dev-app-service"]))
    assert text.startswith("%% dev-app-service (111111111111, eu-west-1)\nflowchart LR\n")
    for node in (
        'clients(["<b>Internet</b><br/>allowed: pl-4fa04526 :443"])',
        'dns["<b>Route53 A alias</b><br/>api.dev.acme.io<br/>zone Z1D633PJN98FT9"]',
        'alb["<b>ALB acme-dev-app-alb</b><br/>internet-facing<br/>WAF web ACL<br/>access logs s3://acme-dev-access-logs'
        '<br/>ARN in SSM /acme/dev/alb/app-alb/arn<br/>security group acme-dev-app-alb-cloudfront (existing)'
        '<br/>security group acme-dev-app-alb-private (existing)"]',
        'alb_https["<b>HTTPS :443</b><br/>ACM certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]',
        'alb_http_redirect["<b>HTTP :80</b><br/>redirect 301 to HTTPS :443"]',
        'alb_target_group["<b>Target group acme-dev-app-service-1b5c</b><br/>HTTP :8000, ip targets<br/>health /health"]',
        'subgraph cluster["ECS cluster acme-dev-app-cluster (environment stack)"]',
        'service["<b>ECS service acme-dev-app-service</b><br/>2 tasks<br/>FARGATE_SPOT 2 : FARGATE 1<br/>deployments: ecs'
        '<br/>security group acme-dev-app-service-tasks-*"]',
        'subgraph task["Task acme-dev-app-service: 512 CPU / 1024 MiB, X86_64"]',
        'app_service["<b>app-service (app)</b><br/>ports :8000, :8001<br/>read-only root filesystem"]',
        'execution_role["<b>Execution role</b><br/>acme-dev-app-service-execution"]',
        'task_role["<b>Task role</b><br/>acme-dev-app-service-task"]',
        'image[("<b>ECR repository</b><br/>acme-devops-app-backend<br/>registry 999999999999.dkr.ecr.eu-west-1.amazonaws.com")]',
        'logs[("<b>CloudWatch log group</b><br/>/ecs/acme-dev-app-service<br/>retention 30 days<br/>KMS-encrypted")]',
        'secretsmanager["<b>Secrets Manager</b><br/>db-credentials-abc123 (key connection_string)"]',
        'ssm["<b>SSM Parameter Store</b><br/>/acme/dev/external-api-key"]',
        'env_files[("<b>S3 environment files</b><br/>dev/config.env (bucket named in SSM /acme/dev/s3/app-config/name)'
        '<br/>common/database.env (bucket named in SSM /acme/dev/s3/shared-config/name)")]',
        'efs_shared_data[("<b>EFS volume shared-data</b><br/>file system id in SSM /acme/dev/efs/shared/id<br/>access point '
        'id in SSM /acme/dev/efs/access-points/app_data/id<br/>transit encryption on")]',
        'rds[("<b>RDS IAM authentication</b><br/>arn:aws:rds-db:eu-west-1:111111111111:dbuser:*/app-service")]',
    ):
        assert f"  {node}\n" in text or f"    {node}\n" in text or f"      {node}\n" in text, node
    assert mermaid_edges(text) == [
        'clients -->|"resolve"| dns',
        'app_service -->|"image"| image',
        'app_service -->|"awslogs"| logs',
        'app_service -->|"environment files"| env_files',
        'app_service -->|"DATABASE_URL"| secretsmanager',
        'app_service -->|"API_KEY"| ssm',
        'app_service -->|"mount /app/data (rw)"| efs_shared_data',
        'alb_target_group -->|"register tasks"| service',
        'service -->|"runs"| task',
        'task -.->|"execution role"| execution_role',
        'task -.->|"task role"| task_role',
        'execution_role -.->|"EnvironmentFiles, EnvironmentFileBuckets"| env_files',
        'task_role -.->|"EfsMount"| efs_shared_data',
        'task_role -.->|"EfsWrite"| efs_shared_data',
        "alb --> alb_http_redirect",
        'alb_https -->|"forward"| alb_target_group',
        "alb --> alb_https",
        'dns -->|"A alias"| alb',
        'alb -.->|"allows TCP 8000"| service',
        'execution_role -.->|"EcrPull"| image',
        'execution_role -.->|"Logs"| logs',
        'execution_role -.->|"Secrets"| secretsmanager',
        'execution_role -.->|"Parameters"| ssm',
        'task_role -.->|"Logs"| logs',
        'task_role -.->|"Secrets"| secretsmanager',
        'task_role -.->|"Parameters"| ssm',
        'task_role -.->|"RdsIamConnect"| rds',
    ]
    assert "  class dns,alb,alb_http_redirect,alb_https,alb_target_group network\n" in text
    assert "  classDef security fill:#FDECEA,stroke:#DD344C,color:#000\n" in text


def test_the_task_box_nests_in_the_cluster_box(shipped) -> None:
    lines = to_mermaid(build(shipped["dev-docs"])).splitlines()
    start = lines.index('  subgraph cluster["ECS cluster acme-dev-docs-cluster (environment stack)"]')
    assert lines[start + 1].startswith('    service["<b>ECS service acme-dev-docs</b>')
    assert lines[start + 2] == '    subgraph task["Task acme-dev-docs: 256 CPU / 512 MiB, X86_64"]'
    assert lines[start + 3] == '      docs["<b>docs (app)</b><br/>ports :80<br/>read-only root filesystem"]'
    assert lines[start + 4: start + 6] == ["    end", "  end"]
    assert 'image[("<b>Image</b><br/>nginx<br/>Docker Hub")]' in "\n".join(lines)
    assert "EcrPull" not in "\n".join(lines)  # no ECR: the execution role pulls nothing of ours


def test_ec2_capacity_codedeploy_and_a_created_certificate(shipped) -> None:
    edges = mermaid_edges(to_mermaid(build(shipped["staging-docs"])))
    for edge in (
        'cluster -.->|"capacity providers"| ec2_capacity',
        'ec2_capacity -.->|"auto scaling group provider"| ec2_capacity_asg',
        'codedeploy -.->|"deploys"| service',
        'codedeploy -.->|"shifts traffic"| alb_green_https',
        'alb_https -.->|"certificate"| certificate',
        'service -.->|"registers"| service_discovery',
    ):
        assert edge in edges, edge


def test_optional_listeners_containers_and_links(synth, dev_data: dict[str, Any]) -> None:
    text = to_mermaid(build(synth(rich(dev_data))))
    edges = mermaid_edges(text)
    for edge in (
        "alb --> alb_admin_https",
        'alb_admin_https -->|"forward"| alb_admin_target_group',
        'alb_admin_target_group -->|"register tasks"| service',
        "alb --> alb_green_https",
        'alb_green_https -->|"forward"| alb_green_target_group',
        'codedeploy -.->|"shifts traffic"| alb_green_target_group',
        'codedeploy -.->|"service role"| codedeploy_role',
        'app_service -->|"awsfirelens"| log_router',
        'log_router -->|"logs"| log_sink',
        'envoy -->|"awslogs"| logs',
        'xray_daemon -->|"awslogs"| logs',
        'log_router -->|"awslogs"| logs',
        'envoy -->|"TOKEN"| ssm',
        'task_role -.->|"XRay"| xray_service',
        'task_role -.->|"EcsExec"| ecs_exec',
        'service -.->|"registers"| namespace',  # the environment's, looked up by name
    ):
        assert edge in edges, edge
    assert 'app_service -->|"awslogs"| logs' not in edges  # the app logs through the router
    for label in (
        'alb_admin_https["<b>HTTPS :8001</b><br/>ACM certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]',
        "2 tasks, autoscaling 2-6<br/>FARGATE 1 (base 1) : FARGATE_SPOT 3<br/>deployments: codedeploy<br/>ECS Exec enabled",
        'envoy["<b>envoy</b><br/>public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29<br/>ports :9901"]',
        "<b>xray-daemon</b><br/>public.ecr.aws/xray/aws-xray-daemon:",
        '<br/>log router (fluentbit)<br/>read-only root filesystem"]',
        'ssm["<b>SSM Parameter Store</b><br/>/acme/dev/external-api-key<br/>/acme/dev/envoy-token"]',
        'codedeploy_role["<b>Service role</b><br/>acme-dev-app-service-codedeploy<br/>managed policy AWSCodeDeployRoleForECS"]',
    ):
        assert label in text, label


def test_a_service_on_a_shared_alb_shows_the_listener_and_its_rules(synth, dev_data: dict[str, Any]) -> None:
    drop_own_alb_keys(dev_data["services"][1])
    dev_data["services"][1].update(
        shared_alb={"listener_arn": SHARED_LISTENER, "security_group_id": "sg-0a1b2c3d4e5f60718"},
        listener_rules=[{"priority": 10, "path_patterns": ["/docs/*"], "host_headers": ["docs.dev.acme.io"]}],
    )
    document = synth(dev_data, 1)
    text = to_mermaid(build(document))
    for edge in (
        'dns -->|"A alias"| alb_alb',
        "alb_alb --> alb_listener",
        "alb_listener --> alb_rule_10",  # the rule names the listener's ARN literally
        'alb_rule_10 -->|"forward"| alb_target_group',
        'alb_target_group -->|"register tasks"| service',
    ):
        assert edge in mermaid_edges(text), edge
    assert 'alb_rule_10["<b>Listener rule 10</b><br/>paths /docs/*<br/>hosts docs.dev.acme.io"]' in text
    assert 'alb_listener["<b>Shared ALB listener (existing)</b><br/>listener/app/acme-dev-app-alb/' in text
    assert "clients(" not in text and '  alb["' not in text  # who reaches the shared ALB is not in this stack


def test_an_internal_alb_has_clients_in_the_vpc(synth, dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["internal"] = True
    text = to_mermaid(build(synth(dev_data, 1)))
    assert 'clients(["<b>Clients in the VPC</b><br/>allowed: pl-4fa04526 :443"])' in text
    assert "<br/>internal<br/>" in text


def test_label_text_is_escaped_for_mermaid_and_dot(synth, dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["sidecars"] = [{"name": "odd", "image": 'reg.example.com/a&b:"1"<x>|y'}]
    model = build(synth(dev_data, 1))
    assert 'a#amp;b:#quot;1#quot;#lt;x#gt;#124;y' in to_mermaid(model)
    assert "a&amp;b:&quot;1&quot;&lt;x&gt;|y" in to_dot(model)


def test_names_that_map_to_the_same_id_get_their_own_nodes(synth, dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["sidecars"] = [
        {"name": "agent-a", "image": "agent:1", "secrets": {"K1": {"name": "k1", "value_from": "PARAM"}}},
        {"name": "agent_a", "image": "agent:2", "secrets": {"K2": {"name": "k2", "value_from": "PARAM"}}},
    ]
    text = to_mermaid(build(synth(dev_data, 1)))
    assert 'agent_a["<b>agent-a</b><br/>agent:1"]' in text
    assert 'agent_a_2["<b>agent_a</b><br/>agent:2"]' in text
    edges = mermaid_edges(text)
    assert 'agent_a -->|"K1"| ssm' in edges and 'agent_a_2 -->|"K2"| ssm' in edges
    assert 'agent_a_2 -->|"awslogs"| logs' in edges


@pytest.mark.parametrize(("image", "expected"), [
    ("nginx:1.27-alpine", (None, "nginx:1.27-alpine")),
    ("myorg/app:1", (None, "myorg/app:1")),
    ("public.ecr.aws/appmesh/envoy:v1", ("public.ecr.aws", "appmesh/envoy:v1")),
    ("localhost:5000/x@sha256:ab", ("localhost:5000", "x@sha256:ab")),
])
def test_split_image(image: str, expected: tuple[str | None, str]) -> None:
    assert split_image(image) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("${aws_lb.alb.arn}", ["aws_lb.alb"]),
    ("$${aws_lb.alb.arn}", []),  # escaped: literal text, not a reference
    ("$$${aws_lb.alb.arn}", ["aws_lb.alb"]),
    ("${tolist(aws_acm_certificate.c.domain_validation_options).0.name}", ["aws_acm_certificate.c"]),
    ("arn:aws:s3:::${data.aws_ssm_parameter.bucket.value}/a.env", ["data.aws_ssm_parameter.bucket"]),
])
def test_references_are_what_terraform_interpolates(text: str, expected: list[str]) -> None:
    assert addresses_in(text) == expected


# --------------------------------------------------------------------------------------------- DOT


def test_dot_text_of_the_dev_app_service(shipped) -> None:
    text = to_dot(build(shipped["dev-app-service"]))
    assert text.startswith('digraph "dev-app-service" {\n  graph [rankdir=TB, compound=true,')
    assert 'label="dev-app-service (111111111111, eu-west-1)"];' in text
    assert (
        '  dns [label=<<B>Route53 A alias</B><BR/><FONT POINT-SIZE="9">api.dev.acme.io</FONT><BR/>'
        '<FONT POINT-SIZE="9">zone Z1D633PJN98FT9</FONT>>, shape=box, fillcolor="#EDE7F6", color="#8C4FFF"];\n'
    ) in text
    assert "  subgraph cluster_cluster {\n" in text and "    subgraph cluster_task {\n" in text
    assert '      app_service [label=<<B>app-service (app)</B>' in text  # inside both boxes
    assert 'logs [label=<<B>CloudWatch log group</B>' in text and "shape=cylinder" in text
    for edge in (
        '  clients -> dns [label="resolve"];',
        '  alb_https -> alb_target_group [label="forward"];',
        '  alb_target_group -> service [label="register tasks"];',
        '  service -> app_service [lhead=cluster_task, label="runs"];',
        '  app_service -> execution_role [ltail=cluster_task, label="execution role", style=dashed];',
        '  app_service -> efs_shared_data [label="mount /app/data (rw)"];',
    ):
        assert f"{edge}\n" in text, edge
    assert text.endswith("}\n")


@needs_dot
def test_dot_renders_every_shipped_stack_without_warnings(shipped) -> None:
    for name, document in shipped.items():
        done = subprocess.run([DOT, "-Tsvg"], input=to_dot(build(document)), capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stderr) == (0, ""), name
        assert "<svg" in done.stdout


@needs_dot
def test_svg_rendered_by_graphviz(tmp_path: Path, shipped) -> None:
    paths = write_diagrams([shipped["dev-app-service"], shipped["dev-docs"]], tmp_path, "svg", DOT)
    assert paths == [tmp_path / "dev-app-service.svg", tmp_path / "dev-docs.svg"]
    root = ElementTree.parse(paths[0]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    for expected in ("Route53 A alias", "api.dev.acme.io", "HTTPS :443", "ECS service acme-dev-app-service",
                     "app-service (app)", "Execution role", "Secrets Manager", "EFS volume shared-data",
                     "/ecs/acme-dev-app-service", "dev-app-service (111111111111, eu-west-1)"):
        assert expected in texts, expected
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert {"cluster_cluster", "cluster_task", "alb_target_group->service", "service->app_service",
            "app_service->logs"} <= titles


@needs_dot
def test_png_rendered_by_graphviz(tmp_path: Path, shipped) -> None:
    (path,) = write_diagrams([shipped["dev-docs"]], tmp_path, "png", DOT)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------- the command


def test_diagram_writes_one_file_per_service_and_prints_the_paths(tmp_path: Path) -> None:
    result = run("diagram", "envs/dev.json", "--outdir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    extension = "svg" if DOT else "mmd"
    expected = [tmp_path / "out" / f"dev-{name}.{extension}" for name in ("environment", "app-service", "docs")]
    assert result.stdout.splitlines() == [str(p) for p in expected]
    assert all(p.is_file() for p in expected)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in expected)


def test_the_command_draws_the_synthesized_stack(tmp_path: Path, shipped) -> None:
    """What the command writes is the picture of the stack `synth` writes, byte for byte."""
    result = run("diagram", str(REPO / "envs/prod.json"), "--format", "mermaid", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = ["prod-environment", "prod-app-service", "prod-docs"]
    assert result.stdout.splitlines() == [f"diagrams/{name}.mmd" for name in names]
    for name in names:
        assert (tmp_path / "diagrams" / f"{name}.mmd").read_text() == to_mermaid(build(shipped[name]))


def test_dot_format(tmp_path: Path) -> None:
    result = run("diagram", "envs/dev.json", "--format", "dot", "--outdir", str(tmp_path))
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "dev-docs.dot").read_text().startswith('digraph "dev-docs"')


def test_without_graphviz_svg_falls_back_to_mermaid_with_a_note(tmp_path: Path) -> None:
    bin = tmp_path / "bin"  # node (jsii runs on it) and nothing else
    bin.mkdir()
    (bin / "node").symlink_to(shutil.which("node"))
    result = run("diagram", "envs/dev.json", "--outdir", str(tmp_path / "out"), path=str(bin))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "note: Graphviz `dot` not found, writing Mermaid instead of svg (install Graphviz, e.g. apt-get install graphviz)\n"
    )
    assert result.stdout.splitlines() == [str(tmp_path / "out" / f"dev-{name}.mmd") for name in ("environment", "app-service", "docs")]


def test_an_invalid_file_writes_nothing(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    dev_data["services"][0]["application_port"] = 0
    (tmp_path / "bad.json").write_text(json.dumps(dev_data))
    result = run("diagram", "bad.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.json: services[0].application_port: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def test_diagram_help() -> None:
    result = run("diagram", "--help")
    text = " ".join(result.stdout.split())
    assert result.returncode == 0
    assert "--format {dot,mermaid,png,svg}" in text and "--outdir OUTDIR" in text
    assert "Exit codes: 0 success, 1 dot failed, 2 invalid env file." in text


def test_drawing_needs_no_jsii(shipped, tmp_path: Path) -> None:
    """The picture is pure Python over the JSON: drawing a stack starts no jsii and imports no cdktf."""
    (tmp_path / "stack.json").write_text(json.dumps(shipped["dev-docs"]))
    code = (
        "import json, sys\nfrom constructs_lib.tools.diagram import write_diagrams\n"
        f"write_diagrams([json.load(open({str(tmp_path / 'stack.json')!r}))], __import__('pathlib').Path({str(tmp_path)!r}), 'dot', None)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'cdktf_cdktf_provider_aws')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "dev-docs.dot").is_file()


def test_the_environment_stack_is_drawn_with_its_clusters_key_bucket_and_web_acl(shipped) -> None:
    text = to_mermaid(build(shipped["staging-environment"]))
    for node in (
        'cluster_app_cluster["<b>ECS cluster acme-staging-app-cluster</b><br/>FARGATE, FARGATE_SPOT<br/>ECS Exec logs '
        'to /ecs/acme-staging-app-cluster/exec"]',
        'web_acl["<b>WAF web ACL acme-staging-web-acl</b><br/>regional<br/>AWSManagedRulesAmazonIpReputationList<br/>'
        'AWSManagedRulesCommonRuleSet<br/>AWSManagedRulesKnownBadInputsRuleSet"]',
        'namespace_acme_staging["<b>Service Connect</b><br/>namespace acme-staging"]',
    ):
        assert f"  {node}\n" in text, node
    assert "<b>S3 bucket</b><br/>acme-staging-alb-logs-333333333333-eu-west-1<br/>" in text
    assert "encryption AES256" in text and "public access blocked" in text
    assert 'web_acl -.->|"log destination configs"| web_acl_logs' in mermaid_edges(text)
