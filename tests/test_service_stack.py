"""What each service's stack contains, asserted on the synthesized Terraform JSON of envs/dev.json's services."""

from __future__ import annotations

import json

import pytest
from conftest import iam_wildcards, named, only, read_env, synth_service


@pytest.fixture(scope="module")
def app_stack():
    """envs/dev.json's first service: the spec's basic example (ECR image, admin port, EFS, env files, secrets)."""
    return synth_service(read_env("dev"), 0)


@pytest.fixture(scope="module")
def docs_stack():
    """envs/dev.json's second service: an external image, one task, certificate given by id."""
    return synth_service(read_env("dev"), 1)


def container(document):
    definitions = json.loads(only(document, "aws_ecs_task_definition")["container_definitions"])
    assert len(definitions) == 1
    return definitions[0]


def test_terraform_block_pins_hashicorp_aws_and_s3_state_with_native_locking(app_stack):
    terraform = app_stack["terraform"]
    assert terraform["required_providers"]["aws"] == {"source": "hashicorp/aws", "version": ">= 5.100, < 7.0"}
    assert terraform["backend"] == {
        "s3": {
            "bucket": "acme-dev-terraform-state",
            "key": "ecs/dev/app-service/terraform.tfstate",
            "region": "eu-west-1",
            "encrypt": True,
            "use_lockfile": True,
        }
    }


def test_state_key_is_unique_per_service_and_kms_key_is_used_when_given():
    prod = read_env("prod")
    keys = {synth_service(prod, i)["terraform"]["backend"]["s3"]["key"] for i in range(2)}
    assert keys == {"ecs/prod/app-service/terraform.tfstate", "ecs/prod/docs/terraform.tfstate"}
    backend = synth_service(prod, 0)["terraform"]["backend"]["s3"]
    assert backend["kms_key_id"] == prod["state"]["kms_key_id"]


def test_the_service_runs_in_the_environments_cluster_and_creates_none(app_stack):
    assert "aws_ecs_cluster" not in app_stack["resource"]
    assert only(app_stack, "aws_ecs_service")["cluster"] == "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-app-cluster"


def test_an_own_cluster_has_container_insights_and_both_fargate_capacity_providers():
    app_stack = synth_service(read_env("dev") | {"environment_resources": {"clusters": False}}, 0)
    cluster = only(app_stack, "aws_ecs_cluster")
    assert cluster["name"] == "acme-dev-app-cluster"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    providers = only(app_stack, "aws_ecs_cluster_capacity_providers")
    assert providers == {"cluster_name": "${aws_ecs_cluster.cluster.name}", "capacity_providers": ["FARGATE", "FARGATE_SPOT"]}


def test_task_definition_is_fargate_awsvpc_with_both_roles(app_stack):
    task = only(app_stack, "aws_ecs_task_definition")
    assert task["family"] == "acme-dev-app-service"
    assert task["requires_compatibilities"] == ["FARGATE"]
    assert task["network_mode"] == "awsvpc"
    assert (task["cpu"], task["memory"]) == ("512", "1024")
    assert task["execution_role_arn"] == "${aws_iam_role.execution_role.arn}"
    assert task["task_role_arn"] == "${aws_iam_role.task_role.arn}"


def test_container_image_comes_from_the_source_environments_ecr_at_app_version(app_stack):
    assert container(app_stack)["image"] == "999999999999.dkr.ecr.eu-west-1.amazonaws.com/acme-devops-app-backend:1.4.2"


def test_container_repo_is_used_verbatim(docs_stack):
    assert container(docs_stack)["image"] == "nginx:1.27-alpine"


def test_admin_port_is_mapped_only_when_admin_active(app_stack, dev_data):
    ports = [m["containerPort"] for m in container(app_stack)["portMappings"]]
    assert ports == [8000, 8001]
    dev_data["services"][0]["admin_active"] = False
    inactive = synth_service(dev_data, 0)
    assert [m["containerPort"] for m in container(inactive)["portMappings"]] == [8000]


def test_container_health_check_runs_the_command_against_the_health_path(app_stack, docs_stack):
    assert container(app_stack)["healthCheck"]["command"] == [
        "CMD-SHELL",
        "wget -q -O - http://localhost:8000/health || exit 1",
    ]
    assert "healthCheck" not in container(docs_stack)


def test_environment_secrets_and_env_files(app_stack):
    app = container(app_stack)
    assert app["environment"] == [
        {"name": "API_VERSION", "value": "v1"},
        {"name": "LOG_LEVEL", "value": "debug"},
        {"name": "NODE_ENV", "value": "development"},
    ]
    assert app["secrets"] == [
        {"name": "API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/external-api-key"},
        {
            "name": "DATABASE_URL",
            "valueFrom": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-credentials-abc123:connection_string::",
        },
    ]
    assert app["environmentFiles"] == [
        {"type": "s3", "value": "arn:aws:s3:::${data.aws_ssm_parameter.env_files_app_config.value}/dev/config.env"},
        {"type": "s3", "value": "arn:aws:s3:::${data.aws_ssm_parameter.env_files_shared_config.value}/common/database.env"},
    ]
    bucket_parameter = named(app_stack, "aws_ssm_parameter", "env_files_app_config", block="data")
    assert bucket_parameter == {"name": "/acme/dev/s3/app-config/name"}


def test_logs_go_to_our_log_group_and_user_and_mounts_are_set(app_stack):
    app = container(app_stack)
    assert app["logConfiguration"]["logDriver"] == "awslogs"
    assert app["logConfiguration"]["options"] == {
        "awslogs-group": "/ecs/acme-dev-app-service",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "app-service",
    }
    assert "awslogs-create-group" not in app["logConfiguration"]["options"]
    assert app["user"] == "1000:1000"
    assert app["mountPoints"] == [
        {"sourceVolume": "shared-data", "containerPath": "/app/data", "readOnly": False},
        {"sourceVolume": "scratch-0", "containerPath": "/tmp", "readOnly": False},
    ]


def test_efs_volume_reads_ids_from_ssm_with_transit_encryption_and_iam_auth(app_stack):
    task = only(app_stack, "aws_ecs_task_definition")
    assert task["volume"][:1] == [
        {
            "name": "shared-data",
            "efs_volume_configuration": {
                "file_system_id": "${data.aws_ssm_parameter.efs_shared_data_fs.value}",
                "transit_encryption": "ENABLED",
                "authorization_config": {
                    "access_point_id": "${data.aws_ssm_parameter.efs_shared_data_ap.value}",
                    "iam": "ENABLED",
                },
            },
        }
    ]
    assert named(app_stack, "aws_ssm_parameter", "efs_shared_data_fs", block="data") == {"name": "/acme/dev/efs/shared/id"}
    assert named(app_stack, "aws_ssm_parameter", "efs_shared_data_ap", block="data") == {
        "name": "/acme/dev/efs/access-points/app_data/id"
    }


def test_efs_volume_without_access_point_has_no_iam_authorization(dev_data):
    dev_data["services"][0]["efs_config"]["volumes"][0].pop("ap_parameter_key_suffix")
    volume = only(synth_service(dev_data, 0), "aws_ecs_task_definition")["volume"][0]
    assert volume["efs_volume_configuration"] == {
        "file_system_id": "${data.aws_ssm_parameter.efs_shared_data_fs.value}",
        "transit_encryption": "ENABLED",
    }


def test_service_runs_two_to_one_spot_in_private_subnets_behind_the_target_group(app_stack):
    service = only(app_stack, "aws_ecs_service")
    assert service["name"] == "acme-dev-app-service"
    assert service["cluster"] == "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-app-cluster"
    assert service["task_definition"] == "${aws_ecs_task_definition.task.arn}"
    assert service["desired_count"] == 2
    assert service["capacity_provider_strategy"] == [
        {"capacity_provider": "FARGATE_SPOT", "weight": 2},
        {"capacity_provider": "FARGATE", "weight": 1},
    ]
    assert (service["deployment_minimum_healthy_percent"], service["deployment_maximum_percent"]) == (50, 200)
    assert service["network_configuration"] == {
        "subnets": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
        "security_groups": ["${aws_security_group.security_groups_tasks.id}"],
        "assign_public_ip": False,
    }
    assert service["load_balancer"] == [
        {
            "target_group_arn": "${aws_lb_target_group.alb_target_group.arn}",
            "container_name": "app-service",
            "container_port": 8000,
        }
    ]
    assert service["deployment_circuit_breaker"] == {"enable": True, "rollback": True}
    assert service["health_check_grace_period_seconds"] == 60
    assert service["depends_on"] == ["aws_lb_listener.alb_https"]  # the cluster is the environment stack's


def test_single_task_service_keeps_100_percent_healthy(docs_stack):
    service = only(docs_stack, "aws_ecs_service")
    assert service["desired_count"] == 1
    assert service["deployment_minimum_healthy_percent"] == 100


def test_alb_is_internet_facing_in_public_subnets_with_both_groups(app_stack):
    alb = only(app_stack, "aws_lb")
    assert alb == {
        "name": "acme-dev-app-alb",
        "load_balancer_type": "application",
        "internal": False,
        "subnets": ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
        "security_groups": [
            "${data.aws_security_group.security_groups_alb_cloudfront.id}",
            "${data.aws_security_group.security_groups_alb_private.id}",
        ],
        "drop_invalid_header_fields": True,
        "enable_deletion_protection": True,
        "idle_timeout": 60,
        "access_logs": {"enabled": True, "bucket": "acme-dev-access-logs", "prefix": "alb/app-service"},
    }


def test_deletion_protection_is_on_unless_turned_off(dev_data):
    dev_data["services"][0]["deletion_protection"] = False
    assert only(synth_service(dev_data, 0), "aws_lb")["enable_deletion_protection"] is False


def test_target_group_checks_health_path_with_200_and_302(app_stack):
    group = only(app_stack, "aws_lb_target_group")
    assert group["target_type"] == "ip"
    assert (group["port"], group["protocol"]) == (8000, "HTTP")
    assert group["vpc_id"] == "vpc-0a1b2c3d4e5f60718"
    assert group["health_check"] == {
        "enabled": True,
        "path": "/health",
        "matcher": "200,302",
        "protocol": "HTTP",
        "port": "traffic-port",
        "interval": 30,
        "timeout": 5,
        "healthy_threshold": 5,
        "unhealthy_threshold": 2,
    }
    assert group["deregistration_delay"] == "300"
    assert group["load_balancing_algorithm_type"] == "round_robin"
    assert group["lifecycle"] == {"create_before_destroy": True}
    assert len(group["name"]) <= 32


def test_https_listener_uses_the_certificate_and_a_tls12_policy(app_stack):
    listener = named(app_stack, "aws_lb_listener", "alb_https")
    assert listener["port"] == 443 and listener["protocol"] == "HTTPS"
    assert listener["certificate_arn"] == (
        "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    )
    assert listener["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listener["default_action"] == [
        {"type": "forward", "target_group_arn": "${aws_lb_target_group.alb_target_group.arn}"}
    ]


def test_certificate_id_is_expanded_to_an_arn_in_the_env_region(docs_stack):
    listener = named(docs_stack, "aws_lb_listener", "alb_https")
    assert listener["certificate_arn"] == (
        "arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    )


def test_http_listener_only_redirects_to_https(app_stack):
    listener = named(app_stack, "aws_lb_listener", "alb_http_redirect")
    assert (listener["port"], listener["protocol"]) == (80, "HTTP")
    assert listener["default_action"] == [
        {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}}
    ]


def test_alb_groups_are_looked_up_by_convention_and_take_https_from_cloudfront(app_stack):
    cloudfront = named(app_stack, "aws_security_group", "security_groups_alb_cloudfront", block="data")
    private = named(app_stack, "aws_security_group", "security_groups_alb_private", block="data")
    assert cloudfront == {"name": "acme-dev-app-alb-cloudfront", "vpc_id": "vpc-0a1b2c3d4e5f60718"}
    assert private == {"name": "acme-dev-app-alb-private", "vpc_id": "vpc-0a1b2c3d4e5f60718"}
    rule = named(app_stack, "aws_vpc_security_group_ingress_rule", "security_groups_alb_https_cloudfront")
    assert rule == {
        "security_group_id": "${data.aws_security_group.security_groups_alb_cloudfront.id}",
        "ip_protocol": "tcp",
        "from_port": 443,
        "to_port": 443,
        "prefix_list_id": "pl-4fa04526",
        "description": "TCP 443",
    }


def test_tasks_have_their_own_group_reachable_only_from_the_alb(app_stack):
    group = named(app_stack, "aws_security_group", "security_groups_tasks")
    assert group["name_prefix"] == "acme-dev-app-service-tasks-"
    assert group["lifecycle"] == {"create_before_destroy": True}
    assert "ingress" not in group and "egress" not in group
    ingress = app_stack["resource"]["aws_vpc_security_group_ingress_rule"]
    task_rules = {k: v for k, v in ingress.items() if v["security_group_id"] == "${aws_security_group.security_groups_tasks.id}"}
    assert [(r["from_port"], r["referenced_security_group_id"]) for r in task_rules.values()] == [
        (8000, "${data.aws_security_group.security_groups_alb_cloudfront.id}")
    ]
    assert all("cidr_ipv4" not in r for r in task_rules.values())


def test_created_security_groups_have_least_privilege_rules(dev_data):
    dev_data["network"]["create_security_groups"] = True
    document = synth_service(dev_data, 0)
    assert "aws_security_group" not in document.get("data", {})
    groups = document["resource"]["aws_security_group"]
    assert sorted(groups) == ["security_groups_alb_cloudfront", "security_groups_alb_private", "security_groups_tasks"]
    ingress = document["resource"]["aws_vpc_security_group_ingress_rule"].values()
    assert not [r for r in ingress if r.get("cidr_ipv4") == "0.0.0.0/0"]
    egress = named(document, "aws_vpc_security_group_egress_rule", "security_groups_alb_to_tasks_8000")
    assert egress["referenced_security_group_id"] == "${aws_security_group.security_groups_tasks.id}"


def test_route53_alias_points_the_domain_at_the_alb(app_stack):
    assert only(app_stack, "aws_route53_record") == {
        "zone_id": "Z1D633PJN98FT9",
        "name": "api.dev.acme.io",
        "type": "A",
        "alias": {
            "name": "${aws_lb.alb.dns_name}",
            "zone_id": "${aws_lb.alb.zone_id}",
            "evaluate_target_health": True,
        },
    }


def policy(document, address):
    return json.loads(named(document, "aws_iam_role_policy", address)["policy"])


def statements_by_sid(document, address):
    return {s["Sid"]: s for s in policy(document, address)["Statement"]}


def test_both_roles_trust_only_ecs_tasks_of_this_account(app_stack):
    for address in ("execution_role", "task_role"):
        trust = json.loads(named(app_stack, "aws_iam_role", address)["assume_role_policy"])
        assert trust["Statement"] == [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "111111111111"},
                    "ArnLike": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:111111111111:*"},
                },
            }
        ]


def test_execution_role_can_start_the_task_and_nothing_more(app_stack):
    statements = statements_by_sid(app_stack, "execution_role_policy")
    assert statements["EcrPull"]["Resource"] == [
        "arn:aws:ecr:eu-west-1:999999999999:repository/acme-devops-app-backend"
    ]
    assert statements["EcrAuthorization"]["Action"] == ["ecr:GetAuthorizationToken"]
    assert statements["Logs"]["Resource"] == ["arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/acme-dev-app-service:*"]
    assert statements["Secrets"] == {
        "Sid": "Secrets",
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": [
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-credentials-abc123",
            "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-credentials-abc123-??????",
        ],
    }
    assert statements["Parameters"]["Resource"] == [
        "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/external-api-key"
    ]
    assert statements["DecryptSecrets"]["Condition"]["StringEquals"]["kms:ViaService"] == [
        "secretsmanager.eu-west-1.amazonaws.com",
        "ssm.eu-west-1.amazonaws.com",
    ]
    assert statements["EnvironmentFiles"]["Action"] == ["s3:GetObject"]
    assert statements["EnvironmentFiles"]["Resource"] == [
        "arn:aws:s3:::${data.aws_ssm_parameter.env_files_app_config.value}/dev/config.env",
        "arn:aws:s3:::${data.aws_ssm_parameter.env_files_shared_config.value}/common/database.env",
    ]
    assert statements["EnvironmentFileBuckets"]["Action"] == ["s3:GetBucketLocation"]
    wildcard = [s for s in statements.values() if "*" in s["Resource"]]
    assert [s["Sid"] for s in wildcard] == ["EcrAuthorization"]


def test_iam_statements_name_exact_arns_of_trusted_accounts(dev_data):
    """A secret of a trusted account, a sidecar's secret and a log driver's SSM parameter: each granted by its exact
    ARN, and the key of the trusted account only through Secrets Manager or SSM."""
    shared = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:shared/datadog"
    docs = dev_data["services"][1]
    dev_data["trusted_account_ids"] = ["999999999999"]
    docs["parameters"]["secrets"] = {"DD_API_KEY": {"name": "dd", "value_from": "SECRET", "arn": shared}}
    docs["sidecars"] = [{"name": "agent", "image": "busybox:1.36", "secrets": {"TOKEN": {
        "name": "agent", "value_from": "SECRET", "arn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:agent-AbCdEf"}}}]
    docs["log_driver"] = {"name": "splunk", "secret_options": {"splunk-token": "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/splunk"}}
    document = synth_service(dev_data, 1)
    statements = statements_by_sid(document, "execution_role_policy")
    assert statements["Secrets"]["Resource"] == [
        shared, f"{shared}-??????",
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:agent-AbCdEf",
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:agent-AbCdEf-??????",
    ]
    assert statements["Parameters"]["Resource"] == ["arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/splunk"]
    assert statements["DecryptSecrets"]["Resource"] == [
        "arn:aws:kms:eu-west-1:111111111111:key/*", "arn:aws:kms:eu-west-1:999999999999:key/*"
    ]
    wildcards = iam_wildcards(document)  # both roles
    assert sorted({(sid, by_library) for sid, _, by_library in wildcards}) == [
        ("DecryptSecrets", True), ("Logs", True), ("Secrets", True)
    ]


def test_external_image_needs_no_ecr_permissions(docs_stack):
    assert {"EcrPull", "EcrAuthorization"}.isdisjoint(statements_by_sid(docs_stack, "execution_role_policy"))


def test_task_role_gets_rds_iam_connect_only_with_iam_authentication(app_stack, docs_stack):
    statements = statements_by_sid(app_stack, "task_role_policy")
    assert statements["RdsIamConnect"]["Resource"] == ["arn:aws:rds-db:eu-west-1:111111111111:dbuser:*/app-service"]
    assert "RdsIamConnect" not in statements_by_sid(docs_stack, "task_role_policy")


def test_task_role_may_mount_and_write_its_efs(app_stack):
    mount = policy(app_stack, "task_role_efs_mount")["Statement"][0]
    assert mount["Action"] == ["elasticfilesystem:ClientMount"]
    assert mount["Resource"] == [
        "arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/${data.aws_ssm_parameter.efs_shared_data_fs.value}"
    ]
    assert policy(app_stack, "task_role_efs_write")["Statement"][0]["Action"] == ["elasticfilesystem:ClientWrite"]


def test_log_group_is_named_by_convention_with_30_day_retention(app_stack):
    assert only(app_stack, "aws_cloudwatch_log_group") == {
        "name": "/ecs/acme-dev-app-service",
        "retention_in_days": 30,
        "kms_key_id": "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4",
    }


def test_alb_arn_is_published_in_ssm(app_stack):
    assert named(app_stack, "aws_ssm_parameter", "alb_arn_parameter") == {
        "name": "/acme/dev/alb/app-alb/arn",
        "type": "SecureString",
        "key_id": "arn:aws:kms:eu-west-1:111111111111:key/3c2b1a09-8f7e-6d5c-4b3a-291807f6e5d4",
        "value": "${aws_lb.alb.arn}",
        "description": "ARN of the service's ALB, for CloudFront origins and other stacks",
    }


def test_outputs_expose_the_main_arns_the_dns_name_and_what_other_stacks_wire_to(app_stack):
    outputs = {name: output["value"] for name, output in app_stack["output"].items()}
    assert outputs == {
        "cluster_arn": "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-dev-app-cluster",
        "service_arn": "${aws_ecs_service.service.id}",
        "task_definition_arn": "${aws_ecs_task_definition.task.arn}",
        "load_balancer_arn": "${aws_lb.alb.arn}",
        "load_balancer_dns_name": "${aws_lb.alb.dns_name}",
        "target_group_arn": "${aws_lb_target_group.alb_target_group.arn}",
        "task_role_arn": "${aws_iam_role.task_role.arn}",
        "execution_role_arn": "${aws_iam_role.execution_role.arn}",
        "url": "https://api.dev.acme.io",
        "listener_arn": "${aws_lb_listener.alb_https.arn}",
        "cluster_name": "acme-dev-app-cluster",  # the environment stack's cluster, by name
        "security_group_ids": ["${aws_security_group.security_groups_tasks.id}"],
        "load_balancer_security_group_ids": [
            "${data.aws_security_group.security_groups_alb_cloudfront.id}",
            "${data.aws_security_group.security_groups_alb_private.id}",
        ],
    }


def test_provider_sets_region_account_guard_and_default_tags(app_stack):
    provider = app_stack["provider"]["aws"][0]
    assert provider["region"] == "eu-west-1"
    assert provider["allowed_account_ids"] == ["111111111111"]
    assert provider["default_tags"] == [
        {
            "tags": {
                "cost-center": "platform",
                "organization": "acme",
                "environment": "dev",
                "service": "app-service",
                "managed-by": "ecs-cdktf",
            }
        }
    ]


def test_long_names_are_cut_to_aws_limits_with_distinct_hashes(dev_data):
    base = dev_data["services"][0]
    dev_data["organization"] = "averyveryverylongorg"
    dev_data["services"] = [
        {**base, "service_name": "payments-reconciliation-worker-a", "alb_name": "payments-reconciliation-alb-a", "cluster_name": "c-a",
         "alb_domain_prefix": "pay-a"},
        {**base, "service_name": "payments-reconciliation-worker-b", "alb_name": "payments-reconciliation-alb-b", "cluster_name": "c-b",
         "alb_domain_prefix": "pay-b"},
    ]
    names = []
    for index in range(2):
        document = synth_service(dev_data, index)
        alb, group = only(document, "aws_lb")["name"], only(document, "aws_lb_target_group")["name"]
        assert len(alb) <= 32 and len(group) <= 32
        assert alb.startswith("averyveryverylongorg-dev-")
        names.append((alb, group))
    assert names[0][0] != names[1][0] and names[0][1] != names[1][1]


def test_alb_extras_access_logs_waf_idle_timeout_and_explicit_deletion_protection(dev_data):
    service = dev_data["services"][0]
    service["alb_access_logs"] = {"bucket": "acme-dev-alb-logs", "prefix": "app"}
    service["waf_web_acl_arn"] = "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/edge/0123"
    service["alb_idle_timeout_seconds"] = 120
    service["deletion_protection"] = True
    document = synth_service(dev_data, 0)
    alb = only(document, "aws_lb")
    assert alb["access_logs"] == {"enabled": True, "bucket": "acme-dev-alb-logs", "prefix": "app"}
    assert alb["idle_timeout"] == 120 and alb["enable_deletion_protection"] is True
    assert only(document, "aws_wafv2_web_acl_association") == {
        "resource_arn": "${aws_lb.alb.arn}",
        "web_acl_arn": "arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/edge/0123",
    }


def test_alb_ingress_cidrs_open_443_and_80_on_the_private_group_only(dev_data):
    dev_data["services"][0]["alb_ingress_cidrs"] = ["10.20.0.0/16"]
    rules = synth_service(dev_data, 0)["resource"]["aws_vpc_security_group_ingress_rule"]
    cidr_rules = sorted((r["from_port"], r["security_group_id"]) for r in rules.values() if r.get("cidr_ipv4"))
    private = "${data.aws_security_group.security_groups_alb_private.id}"
    assert cidr_rules == [(80, private), (443, private)]


def test_log_retention_and_kms_key_are_configurable(dev_data):
    dev_data["kms_key_arn"] = "arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
    dev_data["services"][0]["log_retention_days"] = 365
    assert only(synth_service(dev_data, 0), "aws_cloudwatch_log_group") == {
        "name": "/ecs/acme-dev-app-service",
        "retention_in_days": 365,
        "kms_key_id": "arn:aws:kms:eu-west-1:111111111111:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
    }


def test_read_only_root_filesystem_with_writable_scratch_paths(dev_data):
    dev_data["services"][0]["readonly_root_filesystem"] = True
    dev_data["services"][0]["scratch_paths"] = ["/tmp"]
    document = synth_service(dev_data, 0)
    app = container(document)
    assert app["readonlyRootFilesystem"] is True
    assert {"sourceVolume": "scratch-0", "containerPath": "/tmp", "readOnly": False} in app["mountPoints"]
    volumes = only(document, "aws_ecs_task_definition")["volume"]
    assert {"name": "scratch-0"} in volumes
