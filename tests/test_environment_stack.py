"""The environment stack (`<environment>-environment`) and how service stacks find what it owns.

An env file of the spec's shape with no key for a KMS key, a log bucket or a web ACL: the environment stack
creates them, and the service stacks look them up by name and create no cluster and no namespace.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from typing import Any

import pytest
from conftest import addresses, named, only, read_env, synth_service

ACCOUNT, REGION = "111111111111", "eu-west-1"
LOG_KEY_ALIAS = "alias/acme-dev-logs"
BUCKET = f"acme-dev-alb-logs-{ACCOUNT}-{REGION}"


def plain_dev(**resources: Any) -> dict[str, Any]:
    """envs/dev.json without the keys the environment stack replaces; both services in one cluster, the first
    in a Service Connect namespace given by name."""
    data = read_env("dev")
    del data["kms_key_arn"]
    for service in data["services"]:
        for key in ("waf_web_acl_arn", "alb_access_logs"):
            service.pop(key)
        service["cluster_name"] = "shared"
    data["services"][0]["service_connect"] = {"namespace": "acme-dev"}
    data["services"][0]["enable_execute_command"] = True
    if resources:
        data["environment_resources"] = resources
    return data


def synth_environment(data: dict[str, Any]) -> dict[str, Any]:
    from cdktf import Testing

    from constructs_lib.config import validate_env_data
    from constructs_lib.stacks.environment import EnvironmentStack

    stack = EnvironmentStack(
        Testing.app(), "test", env=validate_env_data(copy.deepcopy(data), "test.json")
    )
    return json.loads(Testing.synth(stack))


@pytest.fixture(scope="module")
def environment() -> dict[str, Any]:
    return synth_environment(plain_dev())


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    return synth_service(plain_dev())


def policy(resource: dict[str, Any]) -> dict[str, Any]:
    return json.loads(resource["policy"])


# --------------------------------------------------------------------------------------------- the environment


def test_the_environment_stack_owns_one_cluster_per_cluster_name_and_the_shared_resources(
    environment,
):
    assert addresses(environment) == [
        "aws_cloudwatch_log_group.cluster_shared_exec_logs",
        "aws_cloudwatch_log_group.web_acl_logs",
        "aws_ecs_cluster.cluster_shared",
        "aws_ecs_cluster_capacity_providers.cluster_shared_capacity_providers",
        "aws_kms_alias.log_key_alias",
        "aws_kms_key.log_key",
        "aws_s3_bucket.alb_access_logs",
        "aws_s3_bucket_lifecycle_configuration.alb_access_logs_lifecycle",
        "aws_s3_bucket_logging.alb_access_logs_access_logs",
        "aws_s3_bucket_notification.alb_access_logs_events",
        "aws_s3_bucket_ownership_controls.alb_access_logs_ownership",
        "aws_s3_bucket_policy.alb_access_logs_policy",
        "aws_s3_bucket_public_access_block.alb_access_logs_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration.alb_access_logs_encryption",
        "aws_s3_bucket_versioning.alb_access_logs_versioning",
        "aws_service_discovery_http_namespace.namespace_acme_dev",
        "aws_wafv2_web_acl.web_acl",
        "aws_wafv2_web_acl_logging_configuration.web_acl_logging",
    ]
    assert (
        environment["terraform"]["backend"]["s3"]["key"]
        == "ecs/dev/environment/terraform.tfstate"
    )


def test_the_log_key_is_for_cloudwatch_logs_of_this_account_and_region_only(
    environment,
):
    key = only(environment, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    assert policy(key)["Statement"] == [
        {
            "Sid": "AccountAdministersTheKeyThroughIam",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudWatchLogsOfThisAccountAndRegion",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
            "Action": [
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ],
            "Resource": "*",
            "Condition": {
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:*"
                }
            },
        },
    ]
    assert only(environment, "aws_kms_alias") == {
        "name": LOG_KEY_ALIAS,
        "target_key_id": "${aws_kms_key.log_key.id}",
    }


def test_the_access_log_bucket_takes_elb_log_delivery_with_sse_s3_tls_only_and_expires(
    environment,
):
    assert only(environment, "aws_s3_bucket") == {"bucket": BUCKET}
    encryption = only(environment, "aws_s3_bucket_server_side_encryption_configuration")
    assert encryption["rule"] == [
        {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    ]
    arn = "${aws_s3_bucket.alb_access_logs.arn}"
    assert policy(only(environment, "aws_s3_bucket_policy"))["Statement"] == [
        {
            "Sid": "ElbLogDelivery",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::156460612806:root"},
            "Action": "s3:PutObject",
            "Resource": [f"{arn}/AWSLogs/{ACCOUNT}/*", f"{arn}/*/AWSLogs/{ACCOUNT}/*"],
        },
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]
    block = only(environment, "aws_s3_bucket_public_access_block")
    assert all(
        block[k] is True
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    rule = only(environment, "aws_s3_bucket_lifecycle_configuration")["rule"][0]
    assert rule["expiration"] == [{"days": 90}]
    assert (
        only(environment, "aws_s3_bucket_logging")["target_bucket"]
        == "acme-dev-access-logs"
    )


def test_log_delivery_may_write_where_the_albs_log(environment, service):
    """ELB checks it may write `<prefix>/AWSLogs/<account>/` before it turns logging on, so a grant that missed a
    service's prefix would fail only at apply; the environment's own ALBs log at the root."""
    arn = "${aws_s3_bucket.alb_access_logs.arn}"
    granted = policy(only(environment, "aws_s3_bucket_policy"))["Statement"][0]["Resource"]
    prefix = only(service, "aws_lb")["access_logs"]["prefix"]
    for written in (f"{arn}/{prefix}/AWSLogs/{ACCOUNT}/elasticloadbalancing/x.log.gz", f"{arn}/AWSLogs/{ACCOUNT}/x"):
        assert any(fnmatch.fnmatchcase(written, pattern) for pattern in granted), (written, granted)
    assert not any(fnmatch.fnmatchcase(f"{arn}/{prefix}/other/x", pattern) for pattern in granted)


def test_regions_without_an_elb_account_grant_the_log_delivery_service():
    from constructs_lib.constructs.access_log_bucket import log_delivery_principal

    assert log_delivery_principal("ap-southeast-5") == {
        "Service": "logdelivery.elasticloadbalancing.amazonaws.com"
    }


def test_the_web_acl_runs_the_aws_managed_rule_groups_and_logs_encrypted(environment):
    acl = only(environment, "aws_wafv2_web_acl")
    assert (acl["name"], acl["scope"], acl["default_action"]) == (
        "acme-dev-web-acl",
        "REGIONAL",
        {"allow": {}},
    )
    assert [
        (r["priority"], r["statement"], r["override_action"]) for r in acl["rule"]
    ] == [
        (
            i,
            {"managed_rule_group_statement": {"name": group, "vendor_name": "AWS"}},
            {"none": {}},
        )
        for i, group in enumerate(
            [
                "AWSManagedRulesAmazonIpReputationList",
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
            ]
        )
    ]
    logs = named(environment, "aws_cloudwatch_log_group", "web_acl_logs")
    assert (logs["name"], logs["kms_key_id"]) == (
        "aws-waf-logs-acme-dev",
        "${aws_kms_key.log_key.arn}",
    )
    assert only(environment, "aws_wafv2_web_acl_logging_configuration") == {
        "resource_arn": "${aws_wafv2_web_acl.web_acl.arn}",
        "log_destination_configs": ["${aws_cloudwatch_log_group.web_acl_logs.arn}"],
    }


def test_the_cluster_has_insights_capacity_providers_and_encrypted_exec_logging(
    environment,
):
    cluster = only(environment, "aws_ecs_cluster")
    assert cluster["name"] == "acme-dev-shared"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    assert cluster["configuration"]["execute_command_configuration"] == {
        "kms_key_id": "${aws_kms_key.log_key.arn}",
        "logging": "OVERRIDE",
        "log_configuration": {
            "cloud_watch_encryption_enabled": True,
            "cloud_watch_log_group_name": "/ecs/acme-dev-shared/exec",
        },
    }
    assert only(environment, "aws_ecs_cluster_capacity_providers")[
        "capacity_providers"
    ] == ["FARGATE", "FARGATE_SPOT"]
    exec_logs = named(
        environment, "aws_cloudwatch_log_group", "cluster_shared_exec_logs"
    )
    assert exec_logs["kms_key_id"] == "${aws_kms_key.log_key.arn}"


def test_no_import_blocks_unless_asked_for(environment):
    assert "import" not in environment


def test_import_existing_adopts_the_clusters_and_namespaces_service_stacks_created():
    environment = synth_environment(plain_dev(import_existing=True))
    assert sorted(environment["import"], key=lambda block: block["to"]) == [
        {"to": "aws_ecs_cluster.cluster_shared", "id": "acme-dev-shared"},
        {
            "to": "aws_ecs_cluster_capacity_providers.cluster_shared_capacity_providers",
            "id": "acme-dev-shared",
        },
        {
            "to": "aws_service_discovery_http_namespace.namespace_acme_dev",
            "id": "${data.aws_service_discovery_http_namespace.existing_namespace_acme_dev.id}",
        },
    ]


def test_switched_off_resources_are_not_created():
    data = plain_dev(
        clusters=False,
        namespaces=False,
        log_kms_key=False,
        alb_access_logs=False,
        waf_web_acl=False,
    )
    data["services"][1]["cluster_name"] = "docs"
    environment = synth_environment(data)
    assert addresses(environment) == []


def test_the_env_files_own_key_replaces_the_log_key():
    data = plain_dev()
    data["kms_key_arn"] = read_env("dev")["kms_key_arn"]
    environment = synth_environment(data)
    assert "aws_kms_key" not in environment["resource"]
    assert (
        only(environment, "aws_ecs_cluster")["configuration"][
            "execute_command_configuration"
        ]["kms_key_id"]
        == (data["kms_key_arn"])
    )


# --------------------------------------------------------------------------------------------- the services


def test_a_service_stack_holds_no_cluster_and_no_namespace_and_forgets_those_it_created(
    service,
):
    assert not {
        "aws_ecs_cluster",
        "aws_ecs_cluster_capacity_providers",
        "aws_service_discovery_http_namespace",
    } & set(service["resource"])
    assert service["removed"] == [
        {"from": address, "lifecycle": {"destroy": False}}
        for address in (
            "aws_ecs_cluster.cluster",
            "aws_ecs_cluster_capacity_providers.cluster_capacity_providers",
            "aws_service_discovery_http_namespace.service_connect_namespace",
        )
    ]
    assert (
        only(service, "aws_ecs_service")["cluster"]
        == f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/acme-dev-shared"
    )


def test_a_service_finds_the_environments_resources_by_name(service):
    assert only(service, "aws_kms_alias", "data") == {"name": LOG_KEY_ALIAS}
    assert only(service, "aws_wafv2_web_acl", "data") == {
        "name": "acme-dev-web-acl",
        "scope": "REGIONAL",
    }
    assert only(service, "aws_service_discovery_http_namespace", "data") == {
        "name": "acme-dev"
    }
    assert (
        only(service, "aws_cloudwatch_log_group")["kms_key_id"]
        == "${data.aws_kms_alias.log_key.target_key_arn}"
    )
    assert (
        only(service, "aws_wafv2_web_acl_association")["web_acl_arn"]
        == "${data.aws_wafv2_web_acl.web_acl.arn}"
    )
    assert only(service, "aws_lb")["access_logs"] == {
        "bucket": BUCKET,
        "prefix": "app-service",
        "enabled": True,
    }
    connect = only(service, "aws_ecs_service")["service_connect_configuration"]
    assert (
        connect["namespace"]
        == "${data.aws_service_discovery_http_namespace.namespace.arn}"
    )


def test_ecs_exec_may_write_to_the_clusters_exec_log_group(service):
    statements = [
        s
        for p in service["resource"]["aws_iam_role_policy"].values()
        for s in policy(p)["Statement"]
    ]
    session = next(s for s in statements if s["Sid"] == "EcsExecSessionLogs")
    assert session["Resource"] == [
        f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/ecs/acme-dev-shared/exec:*"
    ]


def test_keys_the_env_file_sets_win():
    data = plain_dev()
    data["kms_key_arn"] = read_env("dev")["kms_key_arn"]
    original = read_env("dev")["services"][0]
    data["services"][0] |= {
        key: original[key] for key in ("waf_web_acl_arn", "alb_access_logs")
    }
    service = synth_service(data)
    assert "data" not in service or not {"aws_kms_alias", "aws_wafv2_web_acl"} & set(
        service["data"]
    )
    assert (
        only(service, "aws_cloudwatch_log_group")["kms_key_id"] == data["kms_key_arn"]
    )
    assert (
        only(service, "aws_wafv2_web_acl_association")["web_acl_arn"]
        == original["waf_web_acl_arn"]
    )
    assert (
        only(service, "aws_lb")["access_logs"]["bucket"]
        == original["alb_access_logs"]["bucket"]
    )


def test_an_internal_alb_gets_no_web_acl():
    data = plain_dev()
    data["services"][0]["internal"] = True
    service = synth_service(data)
    assert "aws_wafv2_web_acl" not in service.get("data", {})
    assert "aws_wafv2_web_acl_association" not in service["resource"]


def test_with_clusters_off_the_service_stack_keeps_its_cluster_and_forgets_nothing_of_it():
    data = plain_dev(clusters=False)
    data["services"][1]["cluster_name"] = "docs"
    service = synth_service(data)
    assert only(service, "aws_ecs_cluster")["name"] == "acme-dev-shared"
    assert [block["from"] for block in service["removed"]] == [
        "aws_service_discovery_http_namespace.service_connect_namespace"
    ]


def test_the_guard_reads_the_hand_over_as_no_replacement():
    """The layout of earlier releases (each service stack owns its cluster) -> the environment's: nothing is
    destroyed or replaced, though the service's cluster reference became a literal ARN."""
    from constructs_lib.tools.guard import findings, fingerprint

    before = plain_dev(clusters=False, namespaces=False)
    before["services"][1]["cluster_name"] = "docs"
    old, new = synth_service(before), synth_service(plain_dev())
    assert only(old, "aws_ecs_service")["cluster"] == "${aws_ecs_cluster.cluster.id}"
    assert findings({"s": fingerprint(old)}, {"s": fingerprint(new)}) == []
    new.pop("removed")
    assert findings({"s": fingerprint(old)}, {"s": fingerprint(new)})[:1] == [
        "s: aws_ecs_cluster.cluster: removed: Terraform will destroy it"
    ]


# ------------------------------------------------------------------------------ workers and scheduled tasks


def with_headless(data: dict[str, Any], jobs: str = "jobs", cron: str = "cron") -> dict[str, Any]:
    """A worker and a scheduled task in clusters of their own names."""
    workload = {"container_repo": "busybox:1.36", "parameters": {}}
    data["workers"] = [{**workload, "service_name": "worker", "cluster_name": jobs}]
    data["scheduled_tasks"] = [{**workload, "service_name": "report", "cluster_name": cron, "schedule": "rate(1 day)"}]
    return data


def test_a_worker_and_a_scheduled_task_get_their_clusters_when_no_service_uses_them():
    environment = synth_environment(with_headless(plain_dev()))
    clusters = environment["resource"]["aws_ecs_cluster"]
    assert {address: cluster["name"] for address, cluster in clusters.items()} == {
        "cluster_shared": "acme-dev-shared",
        "cluster_jobs": "acme-dev-jobs",
        "cluster_cron": "acme-dev-cron",
    }
    providers = environment["resource"]["aws_ecs_cluster_capacity_providers"]
    assert {a: p["cluster_name"] for a, p in providers.items()} == {
        f"cluster_{n}_capacity_providers": f"${{aws_ecs_cluster.cluster_{n}.name}}" for n in ("shared", "jobs", "cron")
    }
    for name in ("jobs", "cron"):
        exec_logs = named(environment, "aws_cloudwatch_log_group", f"cluster_{name}_exec_logs")
        assert exec_logs["name"] == f"/ecs/acme-dev-{name}/exec"


def test_a_worker_or_task_in_the_cluster_of_a_service_on_ec2_is_an_error():
    """That service's stack creates its cluster beside its instances; the environment stack would create a second
    cluster of the same name for the worker and the task."""
    from constructs_lib.config import ConfigError, validate_env_data

    data = with_headless(plain_dev(), jobs="ec2", cron="ec2")
    data["ec2_capacity"] = {"instance_type": "c5.large"}
    data["services"][1].update(cluster_name="ec2", capacity_provider_strategy=[{"capacity_provider": "EC2"}])
    with pytest.raises(ConfigError) as caught:
        validate_env_data(data, "test.json")
    message = (
        "'ec2' is the cluster of services[1], which creates it beside its EC2 instances; {} runs in a cluster of the "
        "environment stack, so give it another cluster_name"
    )
    assert caught.value.problems == [
        f"test.json: workers[0].cluster_name: {message.format('a worker')}",
        f"test.json: scheduled_tasks[0].cluster_name: {message.format('a scheduled task')}",
    ]
    data["workers"][0]["cluster_name"] = data["scheduled_tasks"][0]["cluster_name"] = "jobs"
    environment = synth_environment(data)
    clusters = environment["resource"]["aws_ecs_cluster"]
    assert sorted(c["name"] for c in clusters.values()) == ["acme-dev-jobs", "acme-dev-shared"]
