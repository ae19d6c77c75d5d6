"""Issue 3 end to end: the synthesized stacks validate, plan, apply, re-plan clean, roll a new version, lock,
and destroy against moto_server with the real terraform binary and S3 state with `use_lockfile`.

The tests run in file order and share one deployment (see conftest.py). Every check reads AWS back with boto3.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import tf

from . import seed, seed_workloads
from .harness import APP_VERSION, JSII_QUIET, NEXT_APP_VERSION, REPO, REPORT, Deployment, Timer

pytestmark = pytest.mark.e2e

if (MISSING := tf.missing_reason()) is not None:
    REPORT["skipped"] = MISSING  # the one loud line at the end of the run
    pytest.skip(f"e2e did not run: {MISSING}", allow_module_level=True)

APP = "e2e-app-service"  # the full-featured service: ECR image, EFS, secrets, env files, admin port
DOCS = "e2e-docs"  # the minimal one: external image, one task, on the environment's ALB (seed.SHARED_ALB)
ENVIRONMENT = f"{seed.ENVIRONMENT}-environment"  # the clusters, the log key, the web ACL, the shared ALB
EDGE = f"acme-e2e-{seed.SHARED_ALB}"  # the environment's ALB: {organization}-{environment}-{name}
WORKER, NIGHTLY = "e2e-orders-worker", "e2e-nightly-report"  # test_jobs_e2e.py checks what they applied
AWS = Callable[[str], Any]


def parallel(function: Callable[..., Any], *iterables: Any) -> list[Any]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(function, *iterables))


def state_document(aws: AWS, deployment: Deployment, stack: str) -> dict[str, Any]:
    body = aws("s3").get_object(Bucket=seed.STATE_BUCKET, Key=deployment.state_keys[stack])["Body"].read()
    return json.loads(body)


def managed(state: dict[str, Any]) -> list[str]:
    return sorted(f"{r['type']}.{r['name']}" for r in state["resources"] if r["mode"] == "managed")


# --- step 4: the bootstrap stack and what every service stack applied ---------------------------------------

def test_synthesized_with_the_normal_cli(deployment: Deployment) -> None:
    """`synth` wrote the environment stack and one stack per workload, `bootstrap` the state-bucket stack; only
    the override layer was added beside them."""
    assert sorted(deployment.stacks) == [APP, DOCS, f"{seed.ENVIRONMENT}-environment", NIGHTLY, WORKER]
    assert deployment.synthesized.bootstrap.name == f"bootstrap-{seed.ENVIRONMENT}"
    for stack_dir in [*deployment.stacks.values(), deployment.synthesized.bootstrap]:
        assert sorted(p.name for p in stack_dir.glob("*.tf.json")) == ["cdk.tf.json", "e2e_override.tf.json"]


def test_bootstrap_creates_a_locked_down_state_bucket(aws: AWS, deployment: Deployment) -> None:
    s3 = aws("s3")
    bucket = seed.STATE_BUCKET
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    [rule] = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True,
    }
    [ownership] = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership["ObjectOwnership"] == "BucketOwnerEnforced"
    [lifecycle] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert lifecycle["Status"] == "Enabled"
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        and f"arn:aws:s3:::{bucket}/*" in s["Resource"]
        for s in statements
    ), statements


# Applies the bootstrap's real policy to a bucket of an in-process moto (with the same shims as the server)
# and tries an object write over HTTPS and over plain HTTP. A subprocess: the shims never leak into pytest.
TRANSPORT_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from moto_patched import apply_patches
apply_patches()
import boto3
from moto import mock_aws
bucket, policy = sys.argv[2], sys.argv[3]
with mock_aws():
    def s3(scheme):
        return boto3.client("s3", region_name="eu-west-1", endpoint_url=f"{scheme}://s3.eu-west-1.amazonaws.com",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    s3("https").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3("https").put_bucket_policy(Bucket=bucket, Policy=policy)
    result = {}
    for scheme in ("https", "http"):
        try:
            s3(scheme).put_object(Bucket=bucket, Key="probe", Body=b"x")
            result[scheme] = "allowed"
        except Exception as error:
            result[scheme] = str(error)
    print(json.dumps(result))
"""


def test_state_bucket_policy_refuses_plain_http(aws: AWS) -> None:
    """The e2e itself talks HTTPS to moto (so the backends pass the policy); this shows the same policy
    refusing a plain-HTTP write."""
    policy = aws("s3").get_bucket_policy(Bucket=seed.STATE_BUCKET)["Policy"]
    probe = subprocess.run([sys.executable, "-c", TRANSPORT_PROBE, str(Path(__file__).parent), seed.STATE_BUCKET,
                            policy], capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    assert result["https"] == "allowed"
    assert "Forbidden" in result["http"] or "AccessDenied" in result["http"], result


@pytest.mark.parametrize("stack", [APP, DOCS])
def test_state_lives_in_s3_with_no_lock_left(aws: AWS, deployment: Deployment, stack: str) -> None:
    state = state_document(aws, deployment, stack)
    assert "aws_ecs_service.service" in managed(state)
    listed = aws("s3").list_objects_v2(Bucket=seed.STATE_BUCKET, Prefix=deployment.state_keys[stack])
    assert [o["Key"] for o in listed["Contents"]] == [deployment.state_keys[stack]]  # no .tflock left behind
    head = aws("s3").head_object(Bucket=seed.STATE_BUCKET, Key=deployment.state_keys[stack])
    assert head.get("ServerSideEncryption"), "encrypt = true: the state object is encrypted at rest"


@pytest.mark.parametrize("stack, desired", [(APP, 2), (DOCS, 1)])
def test_cluster_and_service(aws: AWS, deployment: Deployment, stack: str, desired: int) -> None:
    out = deployment.outputs[stack]
    ecs = aws("ecs")
    [cluster] = ecs.describe_clusters(clusters=[out["cluster_arn"]], include=["SETTINGS"])["clusters"]
    assert {"name": "containerInsights", "value": "enabled"} in cluster["settings"]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]

    [service] = ecs.describe_services(cluster=out["cluster_arn"], services=[out["service_arn"]])["services"]
    assert (service["status"], service["desiredCount"]) == ("ACTIVE", desired)
    assert sorted((s["capacityProvider"], s["weight"]) for s in service["capacityProviderStrategy"]) == [
        ("FARGATE", 1), ("FARGATE_SPOT", 2)
    ]
    assert service["taskDefinition"] == out["task_definition_arn"]
    [binding] = service["loadBalancers"]
    assert binding["targetGroupArn"] == out["target_group_arn"]
    assert binding["containerPort"] == (8000 if stack == APP else 80)
    network = service["networkConfiguration"]["awsvpcConfiguration"]
    assert sorted(network["subnets"]) == sorted(deployment.seeded.private_subnet_ids)
    assert network.get("assignPublicIp") == "DISABLED"
    assert service["healthCheckGracePeriodSeconds"] > 0
    deployment_config = service["deploymentConfiguration"]
    if stack == DOCS:  # issue 14's deployment block and service settings (seed.DOCS_ECS_OPTIONS)
        assert deployment_config["deploymentCircuitBreaker"] == {"enable": True, "rollback": False}
        assert (deployment_config["minimumHealthyPercent"], deployment_config["maximumPercent"]) == (0, 100)
        assert (service["platformVersion"], service["propagateTags"]) == ("1.4.0", "TASK_DEFINITION")
        assert service["availabilityZoneRebalancing"] == "ENABLED"
        assert not service.get("enableECSManagedTags")  # moto omits a false value (README: not distinguishable)
        assert len(network["securityGroups"]) == 2
        return
    assert deployment_config["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert deployment_config["maximumPercent"] == 200
    assert deployment_config["minimumHealthyPercent"] == (100 if desired == 1 else 50)


def test_task_definition(aws: AWS, deployment: Deployment) -> None:
    out, seeded = deployment.outputs[APP], deployment.seeded
    task = aws("ecs").describe_task_definition(taskDefinition=out["task_definition_arn"])["taskDefinition"]
    assert (task["cpu"], task["memory"], task["networkMode"]) == ("512", "1024", "awsvpc")
    assert "FARGATE" in task["requiresCompatibilities"]
    assert (task["executionRoleArn"], task["taskRoleArn"]) == (out["execution_role_arn"], out["task_role_arn"])
    [container] = task["containerDefinitions"]
    assert container["image"] == (f"{seed.DEVOPS_ACCOUNT_ID}.dkr.ecr.{seed.REGION}.amazonaws.com/"
                                  f"acme-devops-app-backend:{APP_VERSION}")
    assert sorted(p["containerPort"] for p in container["portMappings"]) == [8000, 8001]
    assert container["user"] == "1000:1000"
    # Literal user data: template sequences, escapes, quotes, newlines and unicode come back byte for byte.
    assert {e["name"]: e["value"] for e in container["environment"]} == seed.ENVIRONMENT_VARIABLES
    assert container["dockerLabels"] == seed.DOCKER_LABELS
    # the bucket names come from the SSM parameters the stack reads
    assert sorted(f["value"] for f in container["environmentFiles"]) == sorted(
        f"arn:aws:s3:::{bucket}/{key}" for _, bucket, key in seed.ENV_FILE_BUCKETS.values()
    )
    assert {s["name"]: s["valueFrom"] for s in container["secrets"]} == {
        "DATABASE_URL": f"{seeded.secret_arn}:connection_string::",
        "API_KEY": f"arn:aws:ssm:{seed.REGION}:{seed.ACCOUNT_ID}:parameter{seed.PARAM_SECRET[1]}",
    }
    assert container["healthCheck"]["command"] == [
        "CMD-SHELL", f"{seed.HEALTH_CHECK_CMD} http://localhost:8000{seed.HEALTH_CHECK_PATH} || exit 1"
    ]
    assert container["logConfiguration"]["logDriver"] == "awslogs"
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/ecs/acme-e2e-app-service"
    assert sorted((m["sourceVolume"], m["containerPath"], m["readOnly"]) for m in container["mountPoints"]) == [
        ("app-logs", "/var/log/app", True), ("scratch-0", "/tmp", False), ("shared-data", "/app/data", False)
    ]  # /tmp: the default scratch path beside the read-only root filesystem
    volumes = {v["name"]: v["efsVolumeConfiguration"] for v in task["volumes"] if "efsVolumeConfiguration" in v}
    assert volumes["shared-data"]["fileSystemId"] == seeded.file_systems["shared"]
    assert volumes["shared-data"]["transitEncryption"] == "ENABLED"
    assert volumes["shared-data"]["authorizationConfig"] == {
        "accessPointId": seeded.access_points["app_data"], "iam": "ENABLED"
    }
    assert volumes["app-logs"]["fileSystemId"] == seeded.file_systems["logs"]
    assert volumes["app-logs"]["transitEncryption"] == "ENABLED"


def test_container_process_and_permissions_boundary(aws: AWS, deployment: Deployment) -> None:
    """Issue 14's container keys reach ECS as written; the boundary is on both created roles."""
    out = deployment.outputs[DOCS]
    task = aws("ecs").describe_task_definition(taskDefinition=out["task_definition_arn"])["taskDefinition"]
    assert task["pidMode"] == "task"
    [container] = task["containerDefinitions"]
    options = seed.DOCS_ECS_OPTIONS
    assert (container["command"], container["entryPoint"]) == (options["command"], options["entry_point"])
    assert (container["workingDirectory"], container["user"]) == (options["working_directory"], options["user"])
    assert container["restartPolicy"] == {"enabled": True, "ignoredExitCodes": [0], "restartAttemptPeriod": 120}
    assert container["versionConsistency"] == "disabled"
    assert container["linuxParameters"]["capabilities"] == {"add": ["SYS_PTRACE"], "drop": ["ALL"]}
    for arn in (out["task_role_arn"], out["execution_role_arn"]):
        role = aws("iam").get_role(RoleName=arn.rsplit("/", 1)[1])["Role"]
        assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == options["permissions_boundary_arn"]


def test_load_balancer_and_listeners(aws: AWS, deployment: Deployment) -> None:
    """The app's own ALB; its certificate was given as an id, the listener has the ARN the product built."""
    out, seeded = deployment.outputs[APP], deployment.seeded
    alb = _load_balancer(aws, out["load_balancer_arn"], "acme-e2e-app-alb", seeded.public_subnet_ids)
    assert sorted(alb["SecurityGroups"]) == sorted(
        seeded.security_groups[f"acme-e2e-app-alb-{role}"] for role in ("cloudfront", "private")
    )
    listeners = _listeners(aws, alb["LoadBalancerArn"], seeded.certificate_arn)
    [forward] = listeners[443]["DefaultActions"]
    assert (forward["Type"], forward["TargetGroupArn"]) == ("forward", out["target_group_arn"])


def test_environment_load_balancer_routes_the_docs_rule(aws: AWS, deployment: Deployment) -> None:
    """The environment stack's ALB (found by name by the docs stack's data sources): HTTPS answering 404 but for
    the docs service's rule, which forwards its host and paths to the docs target group; HTTP redirected."""
    environment, docs, seeded = deployment.outputs[ENVIRONMENT], deployment.outputs[DOCS], deployment.seeded
    [alb] = aws("elbv2").describe_load_balancers(Names=[EDGE])["LoadBalancers"]
    assert alb["LoadBalancerArn"] == environment[f"alb_{seed.SHARED_ALB}_arn"]
    _load_balancer(aws, alb["LoadBalancerArn"], EDGE, seeded.public_subnet_ids)
    assert sorted(alb["SecurityGroups"]) == sorted(_environment_alb_groups(aws, seeded.vpc_id).values())
    assert "load_balancer_arn" not in docs, "the docs stack creates no ALB"
    assert docs["load_balancer_dns_name"] == alb["DNSName"] == environment[f"alb_{seed.SHARED_ALB}_dns_name"]

    listeners = _listeners(aws, alb["LoadBalancerArn"], seeded.certificate_arn)
    https = listeners[443]
    assert docs["listener_arn"] == https["ListenerArn"] == environment[f"alb_{seed.SHARED_ALB}_listener_arn"]
    [not_found] = https["DefaultActions"]
    assert not_found["Type"] == "fixed-response"
    assert {k: not_found["FixedResponseConfig"][k] for k in ("StatusCode", "ContentType")} == {
        "StatusCode": "404", "ContentType": "text/plain"}
    rules = aws("elbv2").describe_rules(ListenerArn=https["ListenerArn"])["Rules"]
    [rule] = [r for r in rules if not r["IsDefault"]]
    conditions = {c["Field"]: c for c in rule["Conditions"]}
    assert rule["Priority"] == str(seed.DOCS_LISTENER_RULE["priority"])
    # the provider sends condition values as sets: their order is not kept (nor by AWS)
    assert sorted(conditions["host-header"]["HostHeaderConfig"]["Values"]) == seed.DOCS_LISTENER_RULE["host_headers"]
    assert sorted(conditions["path-pattern"]["PathPatternConfig"]["Values"]) == sorted(
        seed.DOCS_LISTENER_RULE["path_patterns"])
    [forward] = rule["Actions"]
    assert (forward["Type"], forward["TargetGroupArn"]) == ("forward", docs["target_group_arn"])


def _environment_alb_groups(aws: AWS, vpc_id: str) -> dict[str, str]:
    """The environment ALB's two groups, by the Name tag the docs stack's lookup uses: role -> id."""
    found = {}
    for role in ("cloudfront", "private"):
        [group] = aws("ec2").describe_security_groups(Filters=[
            {"Name": "tag:Name", "Values": [f"{EDGE}-{role}"]}, {"Name": "vpc-id", "Values": [vpc_id]}
        ])["SecurityGroups"]
        found[role] = group["GroupId"]
    return found


def _load_balancer(aws: AWS, arn: str, name: str, subnet_ids: list[str]) -> dict[str, Any]:
    """An internet-facing ALB in the public subnets, invalid headers dropped."""
    elbv2 = aws("elbv2")
    [alb] = elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]
    assert alb["LoadBalancerName"] == name
    assert (alb["Type"], alb["Scheme"]) == ("application", "internet-facing")
    assert sorted(z["SubnetId"] for z in alb["AvailabilityZones"]) == sorted(subnet_ids)
    attributes = {a["Key"]: a["Value"] for a in
                  elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    return alb


def _listeners(aws: AWS, alb_arn: str, certificate_arn: str) -> dict[int, dict[str, Any]]:
    """HTTPS on 443 with the certificate and a TLS 1.3 policy, HTTP on 80 redirecting to it; by port."""
    described = aws("elbv2").describe_listeners(LoadBalancerArn=alb_arn)["Listeners"]
    listeners = {listener["Port"]: listener for listener in described}
    assert sorted(listeners) == [80, 443]
    https = listeners[443]
    assert https["Protocol"] == "HTTPS"
    assert [c["CertificateArn"] for c in https["Certificates"]] == [certificate_arn]
    assert https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    [redirect] = listeners[80]["DefaultActions"]
    assert listeners[80]["Protocol"] == "HTTP"
    assert redirect["Type"] == "redirect"
    assert {k: redirect["RedirectConfig"][k] for k in ("Protocol", "Port", "StatusCode")} == {
        "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"
    }
    return listeners


def test_tags_read_back_byte_identical(aws: AWS, deployment: Deployment) -> None:
    """The env file's tags, through the provider's default_tags, on the task definition and the ALB."""
    out = deployment.outputs[APP]
    expected = {**seed.TAGS, "organization": seed.ORGANIZATION, "environment": seed.ENVIRONMENT,
                "service": "app-service", "managed-by": "ecs-cdktf"}
    task_tags = aws("ecs").list_tags_for_resource(resourceArn=out["task_definition_arn"])["tags"]
    assert {t["key"]: t["value"] for t in task_tags} == expected
    [described] = aws("elbv2").describe_tags(ResourceArns=[out["load_balancer_arn"]])["TagDescriptions"]
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == expected


@pytest.mark.parametrize("stack, path, port", [(APP, seed.HEALTH_CHECK_PATH, 8000), (DOCS, "/", 80)])
def test_target_group_health_check(aws: AWS, deployment: Deployment, stack: str, path: str, port: int) -> None:
    [group] = aws("elbv2").describe_target_groups(TargetGroupArns=[deployment.outputs[stack]["target_group_arn"]])[
        "TargetGroups"]
    assert (group["TargetType"], group["Protocol"], group["Port"]) == ("ip", "HTTP", port)
    assert group["VpcId"] == deployment.seeded.vpc_id
    assert group["HealthCheckPath"] == path
    assert group["Matcher"]["HttpCode"] == "200,302"


@pytest.mark.parametrize("stack, prefix", [(APP, "api"), (DOCS, "docs")])
def test_route53_alias(aws: AWS, deployment: Deployment, stack: str, prefix: str) -> None:
    records = aws("route53").list_resource_record_sets(HostedZoneId=deployment.seeded.hosted_zone_id)[
        "ResourceRecordSets"]
    [record] = [r for r in records if r["Name"].rstrip(".") == f"{prefix}.{seed.DOMAIN}" and r["Type"] == "A"]
    alias = record["AliasTarget"]
    assert alias["DNSName"].rstrip(".").lower() == deployment.outputs[stack]["load_balancer_dns_name"].lower()


def test_iam_roles_and_policies(aws: AWS, deployment: Deployment) -> None:
    out, seeded = deployment.outputs[APP], deployment.seeded
    iam = aws("iam")
    statements: dict[str, list[dict[str, Any]]] = {}
    for role_arn in (out["execution_role_arn"], out["task_role_arn"]):
        name = role_arn.rsplit("/", 1)[1]
        role = iam.get_role(RoleName=name)["Role"]
        trust = role["AssumeRolePolicyDocument"]
        trust = json.loads(trust) if isinstance(trust, str) else trust
        assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "ecs-tasks.amazonaws.com"}]
        policies = iam.list_role_policies(RoleName=name)["PolicyNames"]
        assert policies, f"{name} has no inline policy"
        statements[name] = []
        for policy in policies:
            document = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
            document = json.loads(document) if isinstance(document, str) else document
            statements[name] += document["Statement"]
    execution = statements["acme-e2e-app-service-execution"]
    task = statements["acme-e2e-app-service-task"]

    def resources(found: list[dict[str, Any]], action: str) -> set[str]:
        return {r for s in found if action in s["Action"] for r in s["Resource"]}

    assert seeded.secret_arn in resources(execution, "secretsmanager:GetSecretValue")
    assert resources(execution, "s3:GetObject") == {
        f"arn:aws:s3:::{bucket}/{key}" for _, bucket, key in seed.ENV_FILE_BUCKETS.values()
    }
    assert resources(execution, "logs:PutLogEvents") == {
        f"arn:aws:logs:{seed.REGION}:{seed.ACCOUNT_ID}:log-group:/ecs/acme-e2e-app-service:*"
    }
    assert resources(task, "rds-db:connect"), "use_iam_authentication grants rds-db:connect"
    efs_arn = f"arn:aws:elasticfilesystem:{seed.REGION}:{seed.ACCOUNT_ID}:file-system/{seeded.file_systems['shared']}"
    assert efs_arn in resources(task, "elasticfilesystem:ClientMount")
    assert all(s["Resource"] != "*" and s["Resource"] != ["*"] for s in task)


@pytest.mark.parametrize("stack, service", [(APP, "app-service"), (DOCS, "docs")])
def test_log_group_retention(aws: AWS, stack: str, service: str, deployment: Deployment) -> None:
    name = f"/ecs/acme-e2e-{service}"
    groups = aws("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [(name, 30)]


def test_ssm_parameter_holds_the_alb_arn(aws: AWS, deployment: Deployment) -> None:
    """A service's own ALB publishes its ARN; the docs service, on the environment's ALB, publishes none."""
    parameters = aws("ssm").get_parameters_by_path(Path="/acme/e2e/alb", Recursive=True,
                                                   WithDecryption=True)["Parameters"]  # SecureString (KMS)
    assert {p["Name"]: p["Value"] for p in parameters} == {
        "/acme/e2e/alb/app-alb/arn": deployment.outputs[APP]["load_balancer_arn"]}


def test_security_group_rules(aws: AWS, deployment: Deployment) -> None:
    ec2, seeded = aws("ec2"), deployment.seeded
    [cloudfront] = ec2.describe_security_groups(GroupIds=[seeded.security_groups["acme-e2e-app-alb-cloudfront"]])[
        "SecurityGroups"]
    assert any(p.get("FromPort") == 443 and p.get("ToPort") == 443
               and [pl["PrefixListId"] for pl in p.get("PrefixListIds", [])] == [seed.PREFIX_LIST_ID]
               for p in cloudfront["IpPermissions"]), cloudfront["IpPermissions"]
    service = aws("ecs").describe_services(cluster=deployment.outputs[APP]["cluster_arn"],
                                           services=[deployment.outputs[APP]["service_arn"]])["services"][0]
    [tasks_group_id] = service["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"]
    [tasks] = ec2.describe_security_groups(GroupIds=[tasks_group_id])["SecurityGroups"]
    assert tasks_group_id not in seeded.security_groups.values(), "the tasks get a group of their own"
    sources = {(p["FromPort"], pair["GroupId"]) for p in tasks["IpPermissions"] for pair in p.get("UserIdGroupPairs", [])}
    alb_groups = {seeded.security_groups[f"acme-e2e-app-alb-{role}"] for role in ("cloudfront", "private")}
    assert {port for port, group in sources if group in alb_groups} >= {8000}
    assert all(p.get("IpRanges", []) == [] for p in tasks["IpPermissions"]), "no CIDR ingress into the tasks"


def test_environment_alb_groups_admit_clients_and_reach_the_docs_tasks(aws: AWS, deployment: Deployment) -> None:
    """The environment's ALB groups admit CloudFront on 443 and the ingress CIDRs on 443 and 80, and allow no
    egress but the docs stack's rule to its tasks; the docs tasks admit the ALB's group on their port only."""
    ec2, seeded = aws("ec2"), deployment.seeded
    groups = _environment_alb_groups(aws, seeded.vpc_id)
    assert deployment.outputs[ENVIRONMENT][f"alb_{seed.SHARED_ALB}_security_group_id"] == groups["cloudfront"]
    docs_tasks = _docs_tasks_group(aws, deployment)
    described = {g["GroupId"]: g for g in ec2.describe_security_groups(GroupIds=list(groups.values()))[
        "SecurityGroups"]}
    cloudfront, private = described[groups["cloudfront"]], described[groups["private"]]
    assert [(p["FromPort"], [pl["PrefixListId"] for pl in p.get("PrefixListIds", [])]) for p in cloudfront["IpPermissions"]
            ] == [(443, [seed.PREFIX_LIST_ID])]
    assert sorted((p["FromPort"], [r["CidrIp"] for r in p.get("IpRanges", [])]) for p in private["IpPermissions"]) == [
        (80, [seed.SHARED_ALB_INGRESS_CIDR]), (443, [seed.SHARED_ALB_INGRESS_CIDR])]
    assert [(p["FromPort"], [pair["GroupId"] for pair in p.get("UserIdGroupPairs", [])], p.get("IpRanges", []))
            for p in cloudfront["IpPermissionsEgress"]] == [(80, [docs_tasks["GroupId"]], [])]
    assert private["IpPermissionsEgress"] == []
    assert [(p["FromPort"], [pair["GroupId"] for pair in p.get("UserIdGroupPairs", [])], p.get("IpRanges", []))
            for p in docs_tasks["IpPermissions"]] == [(80, [groups["cloudfront"]], [])]


def _docs_tasks_group(aws: AWS, deployment: Deployment) -> dict[str, Any]:
    """The group the docs stack created for its tasks (beside the extra group the env file gives them)."""
    docs = deployment.outputs[DOCS]
    [service] = aws("ecs").describe_services(cluster=docs["cluster_arn"], services=[docs["service_arn"]])["services"]
    ids = set(service["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"])
    [own] = ids - set(deployment.seeded.security_groups.values())
    [group] = aws("ec2").describe_security_groups(GroupIds=[own])["SecurityGroups"]
    return group


# --- prerequisites: what the CLI says must exist is what the e2e seeded, and a missing one fails the plan ------

PREREQUISITE_LINE = re.compile(r"^  (?P<kind>\S.*?)\s{2,}(?P<name>\S+)$")


def test_prerequisites_command_lists_what_the_e2e_seeded(aws: AWS, deployment: Deployment) -> None:
    """Every item `python -m constructs_lib prerequisites` prints for the e2e env exists in the seeded account
    under that exact name (ECR images live in the devops account: listed, not checked)."""
    listed = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "prerequisites", str(deployment.synthesized.env_file)],
        cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, **JSII_QUIET},
    )
    assert listed.returncode == 0, listed.stderr
    items = {(m["kind"], m["name"]) for line in listed.stdout.splitlines() if (m := PREREQUISITE_LINE.match(line))}
    kinds = {kind for kind, _ in items}
    assert {"S3 bucket", "VPC", "subnet", "Route53 hosted zone", "ACM certificate", "security group",
            "Secrets Manager secret", "SSM parameter", "S3 object", "ALB"} <= kinds, listed.stdout
    seeded_subnets = {*deployment.seeded.private_subnet_ids, *deployment.seeded.public_subnet_ids}
    assert {name for kind, name in items if kind == "subnet"} == seeded_subnets, listed.stdout
    unchecked = []
    for kind, name in sorted(items):
        if kind == "S3 bucket":
            aws("s3").head_bucket(Bucket=name)
        elif kind == "VPC":
            assert aws("ec2").describe_vpcs(VpcIds=[name])["Vpcs"], f"VPC {name} not found"
        elif kind == "subnet":
            [subnet] = aws("ec2").describe_subnets(SubnetIds=[name])["Subnets"]
            assert subnet["VpcId"] == deployment.seeded.vpc_id, subnet
        elif kind == "WAF web ACL":  # arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>
            acl_name, acl_id = name.split(":", 5)[5].split("/")[2:]
            aws("wafv2").get_web_acl(Name=acl_name, Scope="REGIONAL", Id=acl_id)
        elif kind == "KMS key":
            aws("kms").describe_key(KeyId=name)
        elif kind == "Route53 hosted zone":
            aws("route53").get_hosted_zone(Id=name)
        elif kind == "ACM certificate":
            aws("acm").describe_certificate(CertificateArn=name)
        elif kind == "security group":
            found = aws("ec2").describe_security_groups(Filters=[
                {"Name": "group-name", "Values": [name]}, {"Name": "vpc-id", "Values": [deployment.seeded.vpc_id]}])
            assert found["SecurityGroups"], f"security group {name} not found"
        elif kind == "Secrets Manager secret":
            aws("secretsmanager").describe_secret(SecretId=name)
        elif kind == "SSM parameter":
            aws("ssm").get_parameter(Name=name)
        elif kind == "ALB":  # the environment stack's, which the docs stack finds by name
            assert aws("elbv2").describe_load_balancers(Names=[name])["LoadBalancers"], f"ALB {name} not found"
        elif kind == "ECS cluster":
            assert aws("ecs").describe_clusters(clusters=[name])["clusters"], f"cluster {name} not found"
        elif kind == "SQS queue":
            aws("sqs").get_queue_url(QueueName=name.rsplit(":", 1)[1])
        elif kind == "S3 object":
            base, key = re.fullmatch(r"<([^>]+)>/(.+)", name).groups()
            bucket = aws("ssm").get_parameter(Name=f"/{seed.ORGANIZATION}/{seed.ENVIRONMENT}/s3/{base}/name")[
                "Parameter"]["Value"]
            aws("s3").head_object(Bucket=bucket, Key=key)
        else:
            unchecked.append((kind, name))
    assert {kind for kind, _ in unchecked} <= {"ECR image"}, unchecked


# --- step 5: no perpetual diff ----------------------------------------------------------------------------------

def test_replan_shows_no_changes(deployment: Deployment, timings: dict[str, float]) -> None:
    stacks = {**deployment.stacks, "bootstrap": deployment.synthesized.bootstrap}
    with Timer(timings, "re-plan"):
        results = parallel(lambda d: tf.terraform(["plan", "-detailed-exitcode"], d, check=False),
                           stacks.values())
    for name, result in zip(stacks, results, strict=True):
        assert result.returncode == 0, f"{name}: plan after apply is not clean:\n{result.stdout[-6000:]}{result.stderr}"


# --- step 6: a new app_version rolls a task definition revision and nothing else ---------------------------------

def test_app_version_change_only_rolls_the_task_definition(deployment: Deployment, timings: dict[str, float]) -> None:
    with Timer(timings, "app_version plan"):
        changes = parallel(_plan_with_next_version, deployment.stacks.values(),
                           deployment.synthesized.next_stacks.values())
    app = changes[list(deployment.stacks).index(APP)]
    [task_definition] = [a for a, actions in app.items() if a.startswith("aws_ecs_task_definition.")]
    assert set(app[task_definition]) == {"create", "delete"}, "a new task definition revision"
    [service] = [a for a, actions in app.items() if a.startswith("aws_ecs_service.")]
    assert app[service] == ["update"], "the service is updated in place"
    for name, stack_changes in zip(deployment.stacks, changes, strict=True):
        others = {address: actions for address, actions in stack_changes.items()
                  if not address.startswith(("aws_ecs_task_definition.", "aws_ecs_service."))
                  and actions != ["no-op"]}
        assert others == {}, f"{name}: {NEXT_APP_VERSION} changes more than the task definition and service"
        assert all("delete" not in actions for address, actions in stack_changes.items()
                   if address.startswith("aws_ecs_service.")), f"{name}: the service must not be replaced"


def _plan_with_next_version(stack_dir: Path, next_stack_dir: Path) -> dict[str, list[str]]:
    """Plan `stack_dir`'s state against the NEXT_APP_VERSION synthesis; the applied config is restored after."""
    current = stack_dir / "cdk.tf.json"
    saved = current.read_text()
    try:
        shutil.copyfile(next_stack_dir / "cdk.tf.json", current)
        tf.terraform(["plan", "-out=next.tfplan"], stack_dir)
        plan = tf.show_json(stack_dir, "next.tfplan")
    finally:
        current.write_text(saved)
        (stack_dir / "next.tfplan").unlink(missing_ok=True)
    return {c["address"]: c["change"]["actions"] for c in plan.get("resource_changes", []) if c["mode"] == "managed"}


# --- step 7: S3-native locking ----------------------------------------------------------------------------------

def test_concurrent_plans_one_holds_the_lock(aws: AWS, deployment: Deployment, timings: dict[str, float]) -> None:
    stack_dir, key = deployment.stacks[APP], deployment.state_keys[APP]
    s3 = aws("s3")
    before = s3.get_object(Bucket=seed.STATE_BUCKET, Key=key)["Body"].read()
    with Timer(timings, "lock"):
        # -parallelism=1: the first plan refreshes one resource at a time, holding the lock for longer
        first = tf.start(["plan", "-lock-timeout=0s", "-parallelism=1"], stack_dir)
        lock_seen = _wait_for_object(s3, f"{key}.tflock", first)
        second = tf.terraform(["plan", "-lock-timeout=0s"], stack_dir, check=False)
        first_output, _ = first.communicate(timeout=300)
    assert lock_seen, f"the first plan never took the lock:\n{first_output}"
    assert first.returncode == 0, first_output
    assert second.returncode == 1, f"the second plan did not fail:\n{second.stdout}"
    assert "Error acquiring the state lock" in second.stderr + second.stdout
    after = s3.get_object(Bucket=seed.STATE_BUCKET, Key=key)["Body"].read()
    assert after == before, "the state is intact"
    listed = s3.list_objects_v2(Bucket=seed.STATE_BUCKET, Prefix=key)["Contents"]
    assert [o["Key"] for o in listed] == [key], "the lock is released"


def _wait_for_object(s3: Any, key: str, process: Any, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if s3.list_objects_v2(Bucket=seed.STATE_BUCKET, Prefix=key).get("KeyCount", 0):
            return True
        time.sleep(0.05)
    return False


def test_plan_without_a_prerequisite_names_it(aws: AWS, deployment: Deployment, timings: dict[str, float]) -> None:
    ssm = aws("ssm")
    name, _, _ = seed.ENV_FILE_BUCKETS["shared-config"]
    value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    ssm.delete_parameter(Name=name)
    try:
        with Timer(timings, "missing prerequisite plan"):
            result = tf.terraform(["plan", "-lock=false"], deployment.stacks[APP], check=False)
    finally:
        ssm.put_parameter(Name=name, Value=value, Type="String")
    assert result.returncode == 1
    assert name in result.stderr, result.stderr


# --- step 8: destroy -----------------------------------------------------------------------------------------------

def test_destroying_one_service_leaves_the_other_running_in_the_shared_cluster(
    aws: AWS, deployment: Deployment, timings: dict[str, float]
) -> None:
    """The docs stack destroyed: the shared cluster and the app run on; the environment's ALB and listener stay,
    without the docs rule, target group and the ALB group's egress to the docs tasks (the docs stack owned those)."""
    app, docs = deployment.outputs[APP], deployment.outputs[DOCS]
    assert app["cluster_arn"] == docs["cluster_arn"]  # one cluster, the environment stack's
    with Timer(timings, "destroy one service"):
        tf.terraform(["destroy", "-auto-approve"], deployment.stacks[DOCS])
    ecs = aws("ecs")
    [cluster] = ecs.describe_clusters(clusters=[app["cluster_arn"]])["clusters"]
    assert cluster["status"] == "ACTIVE"
    [running] = ecs.describe_services(cluster=app["cluster_arn"], services=[app["service_arn"]])["services"]
    assert running["status"] == "ACTIVE"
    assert state_document(aws, deployment, DOCS)["resources"] == []
    elbv2 = aws("elbv2")
    [alb] = elbv2.describe_load_balancers(Names=[EDGE])["LoadBalancers"]
    assert [r["IsDefault"] for r in elbv2.describe_rules(ListenerArn=docs["listener_arn"])["Rules"]] == [True]
    assert docs["target_group_arn"] not in {
        g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]}
    groups = aws("ec2").describe_security_groups(GroupIds=alb["SecurityGroups"])["SecurityGroups"]
    assert [g["IpPermissionsEgress"] for g in groups] == [[], []]


def test_destroy_leaves_an_empty_state(aws: AWS, deployment: Deployment, timings: dict[str, float]) -> None:
    services = [name for name in deployment.stacks if not name.endswith("-environment")]
    environment = f"{seed.ENVIRONMENT}-environment"
    with Timer(timings, "destroy"):
        parallel(lambda d: tf.terraform(["destroy", "-auto-approve"], d), [deployment.stacks[n] for n in services])
        tf.terraform(["destroy", "-auto-approve"], deployment.stacks[environment])  # what the services used last
    assert state_document(aws, deployment, environment)["resources"] == []
    assert not [c for c in aws("ecs").describe_clusters(clusters=[deployment.outputs[APP]["cluster_arn"]])["clusters"]
                if c["status"] == "ACTIVE"]
    assert not [c for c in aws("ecs").describe_clusters(clusters=[seed_workloads.CLUSTER_ARN])["clusters"]
                if c["status"] == "ACTIVE"]  # the workers' cluster, the environment stack's too
    for name in services:
        assert state_document(aws, deployment, name)["resources"] == [], name
        out = deployment.outputs[name]
        assert not aws("elbv2").describe_load_balancers()["LoadBalancers"]
        if "service_arn" in out:  # a scheduled task runs no service
            cluster = out.get("cluster_arn", seed_workloads.CLUSTER_ARN)  # a worker's is the environment's
            services = aws("ecs").describe_services(cluster=cluster, services=[out["service_arn"]])
            assert all(s["status"] == "INACTIVE" for s in services["services"]), services
    assert not aws("scheduler").list_schedules()["Schedules"]
    assert not aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/acme-e2e-")["logGroups"]
    assert not aws("ssm").get_parameters_by_path(Path="/acme/e2e/alb", Recursive=True)["Parameters"]
    roles = [r["RoleName"] for r in aws("iam").list_roles()["Roles"]]
    assert not [r for r in roles if r.startswith("acme-e2e-")]


# --- step 9: the bootstrap stack's own state moves into the bucket it created --------------------------------------

def test_bootstrap_state_migrates_into_its_bucket(aws: AWS, moto: Any, deployment: Deployment,
                                                  timings: dict[str, float]) -> None:
    """The README's way: `bootstrap --backend s3` over the applied bootstrap folder (which keeps its
    terraform.tfstate and .terraform/), then `terraform init -migrate-state`: the state is in the bucket and
    the plan is clean."""
    from .overrides import write_override

    stack_dir = deployment.synthesized.bootstrap
    local_state = json.loads((stack_dir / "terraform.tfstate").read_text())
    with Timer(timings, "bootstrap state migration"):
        subprocess.run([sys.executable, "-m", "constructs_lib", "bootstrap", str(deployment.synthesized.env_file),
                        "--outdir", str(stack_dir.parent.parent), "--backend", "s3"], cwd=REPO,
                       env={**os.environ, **JSII_QUIET}, check=True, capture_output=True, text=True)
        assert json.loads((stack_dir / "terraform.tfstate").read_text()) == local_state  # kept by the re-run
        assert (stack_dir / ".terraform").is_dir()
        backend = json.loads((stack_dir / "cdk.tf.json").read_text())["terraform"]["backend"]["s3"]
        write_override(stack_dir, moto.endpoint, moto.ca_file)  # now with the S3 backend's endpoint
        tf.terraform(["init", "-migrate-state", "-force-copy"], stack_dir)
        plan = tf.terraform(["plan", "-detailed-exitcode"], stack_dir, check=False)
    assert plan.returncode == 0, f"plan after the migration is not clean:\n{plan.stdout[-6000:]}{plan.stderr}"
    assert backend["key"] == "ecs/e2e/_bootstrap/terraform.tfstate"
    migrated = json.loads(aws("s3").get_object(Bucket=seed.STATE_BUCKET, Key=backend["key"])["Body"].read())
    assert managed(migrated) == managed(local_state) and "aws_s3_bucket.state" in managed(migrated)
