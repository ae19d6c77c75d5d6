"""The optional keys beyond the ECSBuilder, each asserted on the synthesized JSON."""

from __future__ import annotations

import json

import pytest
from conftest import drop_own_alb_keys, named, only, synth_service


def containers(document):
    return {c["name"]: c for c in json.loads(only(document, "aws_ecs_task_definition")["container_definitions"])}


def statements(document, address):
    policy = json.loads(named(document, "aws_iam_role_policy", address)["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


@pytest.fixture
def service(dev_data):
    return dev_data["services"][1]  # the docs service: an external image, no EFS


def test_graviton_runtime_platform_and_ephemeral_storage(dev_data, service):
    service.update(cpu_architecture="ARM64", ephemeral_storage_gib=50)
    task = only(synth_service(dev_data, 1), "aws_ecs_task_definition")
    assert task["runtime_platform"] == {"operating_system_family": "LINUX", "cpu_architecture": "ARM64"}
    assert task["ephemeral_storage"] == {"size_in_gib": 50}


def test_container_hardening_keys(dev_data, service):
    service.update(
        stop_timeout_seconds=90,
        ulimits=[{"name": "nofile", "soft_limit": 65536, "hard_limit": 65536}],
        linux_parameters={"init_process_enabled": True},
        docker_labels={"team": "docs"},
        essential=True,
    )
    app = containers(synth_service(dev_data, 1))["docs"]
    assert app["stopTimeout"] == 90
    assert app["ulimits"] == [{"name": "nofile", "softLimit": 65536, "hardLimit": 65536}]
    assert app["linuxParameters"] == {"initProcessEnabled": True}
    assert app["dockerLabels"] == {"team": "docs"}
    assert app["essential"] is True
    assert app["readonlyRootFilesystem"] is True


def test_container_health_check_timing(dev_data):
    dev_data["services"][0]["container_health_check"] = {
        "interval_seconds": 10, "timeout_seconds": 3, "retries": 5, "start_period_seconds": 120
    }
    check = containers(synth_service(dev_data, 0))["app-service"]["healthCheck"]
    assert (check["interval"], check["timeout"], check["retries"], check["startPeriod"]) == (10, 3, 5, 120)


def test_sidecars_with_secrets_dependencies_and_execution_role_access(dev_data, service):
    service["sidecars"] = [
        {
            "name": "envoy",
            "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod",
            "cpu": 64,
            "memory_limit_mib": 128,
            "ports": [9901],
            "environment": {"ENVOY_LOG_LEVEL": "info"},
            "secrets": {"TOKEN": {"name": "envoy-token", "value_from": "PARAM"}},
            "depends_on": [{"container_name": "docs", "condition": "START"}],
            "essential": True,
        }
    ]
    document = synth_service(dev_data, 1)
    envoy = containers(document)["envoy"]
    assert envoy == {
        "name": "envoy",
        "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod",
        "cpu": 64,
        "memory": 128,
        "essential": True,
        "portMappings": [{"containerPort": 9901, "hostPort": 9901, "protocol": "tcp"}],
        "environment": [{"name": "ENVOY_LOG_LEVEL", "value": "info"}],
        "secrets": [{"name": "TOKEN", "valueFrom": "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/envoy-token"}],
        "dependsOn": [{"containerName": "docs", "condition": "START"}],
        "mountPoints": [],
        "volumesFrom": [],
        "systemControls": [],
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": "/ecs/acme-dev-docs",
                "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": "envoy",
            },
            "secretOptions": [],
        },
    }
    assert statements(document, "execution_role_policy")["Parameters"]["Resource"] == [
        "arn:aws:ssm:eu-west-1:111111111111:parameter/acme/dev/envoy-token"
    ]


def test_xray_daemon_and_task_role_permissions(dev_data, service):
    service["xray"] = True
    document = synth_service(dev_data, 1)
    task_containers = containers(document)
    assert task_containers["xray-daemon"]["portMappings"] == [{"containerPort": 2000, "hostPort": 2000, "protocol": "udp"}]
    assert {"name": "AWS_XRAY_DAEMON_ADDRESS", "value": "localhost:2000"} in task_containers["docs"]["environment"]
    xray = statements(document, "task_role_policy")["XRay"]
    assert xray["Resource"] == ["*"] and "xray:PutTraceSegments" in xray["Action"]


def test_firelens_routes_app_logs_through_fluent_bit(dev_data, service):
    service["firelens"] = {
        "options": {"Name": "datadog", "Host": "http-intake.logs.datadoghq.eu"},
        "secret_options": {"apikey": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-key-AbCdEf"},
    }
    service["log_driver"] = {"name": "awsfirelens"}
    document = synth_service(dev_data, 1)
    task_containers = containers(document)
    router = task_containers["log-router"]
    assert router["firelensConfiguration"] == {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}
    assert router["essential"] is True
    app = task_containers["docs"]
    assert app["logConfiguration"] == {
        "logDriver": "awsfirelens",
        "options": {"Name": "datadog", "Host": "http-intake.logs.datadoghq.eu"},
        "secretOptions": [{"name": "apikey", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-key-AbCdEf"}],
    }
    assert app["dependsOn"] == [{"containerName": "log-router", "condition": "START"}]
    secret_arns = statements(document, "execution_role_policy")["Secrets"]["Resource"]
    assert "arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-key-AbCdEf" in secret_arns


def test_generic_log_driver_with_options(dev_data, service):
    service["log_driver"] = {"name": "splunk", "options": {"splunk-url": "https://splunk.example.com:8088"}}
    log = containers(synth_service(dev_data, 1))["docs"]["logConfiguration"]
    assert log == {"logDriver": "splunk", "options": {"splunk-url": "https://splunk.example.com:8088"}, "secretOptions": []}


def test_ecs_exec_on_service_and_task_role_with_the_environment_clusters_log_group(dev_data, service):
    service["enable_execute_command"] = True
    document = synth_service(dev_data, 1)
    assert only(document, "aws_ecs_service")["enable_execute_command"] is True
    assert statements(document, "task_role_policy")["EcsExec"]["Action"] == [
        "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
    ]
    # The environment stack owns the cluster and its ECS Exec session log group; the task role may write exactly it.
    assert "aws_ecs_cluster" not in document["resource"]
    assert statements(document, "task_role_policy")["EcsExecSessionLogs"]["Resource"] == [
        "arn:aws:logs:eu-west-1:111111111111:log-group:/ecs/acme-dev-docs-cluster/exec:*"
    ]


def test_deployment_alarms_wait_and_force(dev_data, service):
    service.update(
        deployment_alarms={"alarm_names": ["docs-5xx"], "rollback": True},
        wait_for_steady_state=True,
        force_new_deployment=True,
    )
    ecs = only(synth_service(dev_data, 1), "aws_ecs_service")
    assert ecs["alarms"] == {"alarm_names": ["docs-5xx"], "enable": True, "rollback": True}
    assert ecs["wait_for_steady_state"] is True and ecs["force_new_deployment"] is True


@pytest.mark.parametrize(
    ("owner", "ignored"),
    [("terraform", None), ("external_image", ["task_definition"]), ("codedeploy", ["task_definition", "load_balancer"])],
)
def test_deployment_ownership_sets_ignore_changes_on_the_one_service_resource(dev_data, service, owner, ignored):
    service["deployment_ownership"] = owner
    document = synth_service(dev_data, 1)
    ecs = only(document, "aws_ecs_service")
    assert ecs.get("lifecycle", {}).get("ignore_changes") == ignored
    assert list(document["resource"]["aws_ecs_service"]) == ["service"]  # never a second copy of the service


def test_codedeploy_uses_its_controller_and_a_green_target_group_with_test_listener(dev_data, service):
    service["deployment_ownership"] = "codedeploy"
    document = synth_service(dev_data, 1)
    ecs = only(document, "aws_ecs_service")
    assert ecs["deployment_controller"] == {"type": "CODE_DEPLOY"}
    assert "deployment_circuit_breaker" not in ecs
    assert sorted(document["resource"]["aws_lb_target_group"]) == ["alb_green_target_group", "alb_target_group"]
    test_listener = named(document, "aws_lb_listener", "alb_green_https")
    assert test_listener["port"] == 8443
    assert test_listener["default_action"] == [
        {"type": "forward", "target_group_arn": "${aws_lb_target_group.alb_green_target_group.arn}"}
    ]


def test_capacity_provider_strategy_overrides_the_spot_default(dev_data, service):
    service["capacity_provider_strategy"] = [{"capacity_provider": "FARGATE", "weight": 1, "base": 1}]
    ecs = only(synth_service(dev_data, 1), "aws_ecs_service")
    assert ecs["capacity_provider_strategy"] == [{"capacity_provider": "FARGATE", "weight": 1, "base": 1}]


def test_target_group_health_draining_stickiness_and_algorithm(dev_data, service):
    service.update(
        health_check={"interval_seconds": 15, "timeout_seconds": 10, "healthy_threshold": 3, "unhealthy_threshold": 4},
        deregistration_delay_seconds=30,
        stickiness={"enabled": True, "duration_seconds": 3600},
        load_balancing_algorithm="least_outstanding_requests",
        health_check_grace_period_seconds=120,
    )
    document = synth_service(dev_data, 1)
    group = only(document, "aws_lb_target_group")
    assert (group["health_check"]["interval"], group["health_check"]["timeout"]) == (15, 10)
    assert (group["health_check"]["healthy_threshold"], group["health_check"]["unhealthy_threshold"]) == (3, 4)
    assert group["deregistration_delay"] == "30"
    assert group["stickiness"] == {"type": "lb_cookie", "enabled": True, "cookie_duration": 3600}
    assert group["load_balancing_algorithm_type"] == "least_outstanding_requests"
    assert only(document, "aws_ecs_service")["health_check_grace_period_seconds"] == 120


def test_internal_alb_lives_in_private_subnets(dev_data, service):
    service["internal"] = True
    alb = only(synth_service(dev_data, 1), "aws_lb")
    assert alb["internal"] is True
    assert alb["subnets"] == dev_data["network"]["private_subnet_ids"]


def test_public_admin_port_gets_its_own_target_group_and_listener(dev_data):
    dev_data["services"][0]["admin_public"] = True
    document = synth_service(dev_data, 0)
    admin = named(document, "aws_lb_listener", "alb_admin_https")
    assert admin["port"] == 8001 and admin["protocol"] == "HTTPS"
    assert named(document, "aws_lb_target_group", "alb_admin_target_group")["port"] == 8001
    assert [b["container_port"] for b in only(document, "aws_ecs_service")["load_balancer"]] == [8000, 8001]
    ingress_ports = sorted(
        r["from_port"] for r in document["resource"]["aws_vpc_security_group_ingress_rule"].values()
        if r["security_group_id"] == "${aws_security_group.security_groups_tasks.id}"
    )
    assert ingress_ports == [8000, 8001]


def test_shared_alb_adds_listener_rules_instead_of_an_alb(dev_data, service):
    listener = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
    drop_own_alb_keys(service)
    service["shared_alb"] = {"listener_arn": listener, "security_group_id": "sg-0123456789abcdef0"}
    service["listener_rules"] = [{"priority": 10, "path_patterns": ["/docs/*"], "host_headers": ["docs.dev.acme.io"]}]
    document = synth_service(dev_data, 1)
    assert "aws_lb" not in document["resource"] and "aws_lb_listener" not in document["resource"]
    assert only(document, "aws_lb_listener_rule") == {
        "listener_arn": listener,
        "priority": 10,
        "action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.alb_target_group.arn}"}],
        "condition": [{"path_pattern": {"values": ["/docs/*"]}}, {"host_header": {"values": ["docs.dev.acme.io"]}}],
    }
    record = only(document, "aws_route53_record")
    assert record["alias"]["name"] == "${data.aws_lb.alb_alb.dns_name}"
    assert only(document, "aws_ecs_service")["depends_on"][0] == "aws_lb_listener_rule.alb_rule_10"


def test_shared_alb_reaches_the_tasks_through_its_own_group(dev_data, service):
    listener = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
    drop_own_alb_keys(service)
    service["shared_alb"] = {"listener_arn": listener, "security_group_id": "sg-0123456789abcdef0"}
    service["listener_rules"] = [{"priority": 10, "path_patterns": ["/docs/*"]}]
    document = synth_service(dev_data, 1)
    assert "aws_security_group" not in document.get("data", {})
    rules = list(document["resource"]["aws_vpc_security_group_ingress_rule"].values())
    assert [(r["from_port"], r["referenced_security_group_id"]) for r in rules] == [(80, "sg-0123456789abcdef0")]
    egress = document["resource"].get("aws_vpc_security_group_egress_rule", {}).values()
    assert [r for r in egress if r["security_group_id"] == "sg-0123456789abcdef0"] == []  # pre-created: theirs


def test_shared_alb_of_created_groups_is_let_out_to_the_tasks(dev_data, service):
    """With create_security_groups the owning service's ALB group allows egress only to its own tasks: a service
    attaching to it adds the egress to its tasks, or the ALB could never reach them."""
    listener = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/acme-dev-app-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"
    dev_data["network"]["create_security_groups"] = True
    drop_own_alb_keys(service)
    service["shared_alb"] = {"listener_arn": listener, "security_group_id": "sg-0123456789abcdef0"}
    service["listener_rules"] = [{"priority": 10, "path_patterns": ["/docs/*"]}]
    document = synth_service(dev_data, 1)
    egress = list(document["resource"]["aws_vpc_security_group_egress_rule"].values())
    tasks = "${aws_security_group.security_groups_tasks.id}"
    assert [(r["security_group_id"], r["from_port"], r["referenced_security_group_id"]) for r in egress if r.get(
        "referenced_security_group_id") == tasks] == [("sg-0123456789abcdef0", 80, tasks)]


def test_autoscaling_targets_the_service_and_the_service_ignores_desired_count(dev_data, service):
    service["desired_count"] = 2
    service["autoscaling"] = {"min_capacity": 2, "max_capacity": 6, "cpu_target_percent": 60, "requests_per_target": 500}
    document = synth_service(dev_data, 1)
    target = only(document, "aws_appautoscaling_target")
    assert target["resource_id"] == "service/acme-dev-docs-cluster/${aws_ecs_service.service.name}"  # the environment's
    assert (target["min_capacity"], target["max_capacity"]) == (2, 6)
    requests = named(document, "aws_appautoscaling_policy", "autoscaling_requests")
    label = requests["target_tracking_scaling_policy_configuration"]["predefined_metric_specification"]["resource_label"]
    assert label == "${aws_lb.alb.arn_suffix}/${aws_lb_target_group.alb_target_group.arn_suffix}"
    assert only(document, "aws_ecs_service")["lifecycle"] == {"ignore_changes": ["desired_count"]}


def test_alarms_can_gate_deployments(dev_data, service):
    service["alarms"] = {"target_5xx_count": 10, "cpu_high_percent": 90}
    service["deployment_alarms"] = {"alarm_names": ["acme-dev-docs-target-5xx"]}
    document = synth_service(dev_data, 1)
    alarms = document["resource"]["aws_cloudwatch_metric_alarm"]
    assert {a["alarm_name"] for a in alarms.values()} == {"acme-dev-docs-target-5xx", "acme-dev-docs-cpu-high"}
    ecs = only(document, "aws_ecs_service")
    assert ecs["alarms"]["alarm_names"] == ["acme-dev-docs-target-5xx"]
    assert "aws_cloudwatch_metric_alarm.alarms_target_5xx" in ecs["depends_on"]


def test_created_certificate_is_validated_before_the_https_listener_uses_it(dev_data, service):
    service.pop("ssl_certificate_id")
    service["create_certificate"] = True
    document = synth_service(dev_data, 1)
    certificate = only(document, "aws_acm_certificate")
    assert certificate["domain_name"] == "docs.dev.acme.io" and certificate["validation_method"] == "DNS"
    listener = named(document, "aws_lb_listener", "alb_https")
    assert listener["certificate_arn"] == "${aws_acm_certificate_validation.certificate_validation.certificate_arn}"


def test_ec2_capacity_joins_the_cluster_and_the_service_strategy(dev_data, service):
    dev_data["ec2_capacity"] = {"preset": "development", "min_size": 1, "max_size": 3}
    service["capacity_provider_strategy"] = [{"capacity_provider": "EC2", "weight": 1}]
    document = synth_service(dev_data, 1)
    provider = only(document, "aws_ecs_capacity_provider")
    assert provider["name"] == "acme-dev-docs-ec2"
    assert only(document, "aws_ecs_cluster_capacity_providers")["capacity_providers"] == [
        "FARGATE", "FARGATE_SPOT", "${aws_ecs_capacity_provider.ec2_capacity.name}"
    ]
    assert only(document, "aws_ecs_service")["capacity_provider_strategy"] == [
        {"capacity_provider": "acme-dev-docs-ec2", "weight": 1}
    ]
    assert only(document, "aws_ecs_task_definition")["requires_compatibilities"] == ["EC2"]
    assert only(document, "aws_launch_template")["instance_type"] == "t3.medium"


def test_service_connect_names_the_port_and_uses_the_environments_namespace(dev_data, service):
    service["service_connect"] = {"namespace": "acme-dev"}
    document = synth_service(dev_data, 1)
    assert "aws_service_discovery_http_namespace" not in document["resource"]  # the environment stack creates it
    assert only(document, "aws_service_discovery_http_namespace", "data") == {"name": "acme-dev"}
    connect = only(document, "aws_ecs_service")["service_connect_configuration"]
    assert connect["enabled"] is True
    assert connect["namespace"] == "${data.aws_service_discovery_http_namespace.namespace.arn}"
    assert containers(document)["docs"]["portMappings"][0] == {
        "containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "app", "appProtocol": "http"
    }


def test_service_discovery_registers_the_tasks(dev_data, service):
    service["service_discovery"] = {"namespace_id": "ns-abcdef0123456789", "record_type": "SRV"}
    document = synth_service(dev_data, 1)
    assert only(document, "aws_ecs_service")["service_registries"] == {
        "registry_arn": "${aws_service_discovery_service.service_discovery.arn}",
        "container_name": "docs",
        "container_port": 80,
    }


def test_codedeploy_application_and_deployment_group_shift_between_blue_and_green(dev_data, service):
    service["deployment_ownership"] = "codedeploy"
    document = synth_service(dev_data, 1)
    group = only(document, "aws_codedeploy_deployment_group")
    pair = group["load_balancer_info"]["target_group_pair_info"]
    assert pair["prod_traffic_route"] == {"listener_arns": ["${aws_lb_listener.alb_https.arn}"]}
    assert pair["test_traffic_route"] == {"listener_arns": ["${aws_lb_listener.alb_green_https.arn}"]}
    assert [t["name"] for t in pair["target_group"]] == [
        "${aws_lb_target_group.alb_target_group.name}", "${aws_lb_target_group.alb_green_target_group.name}"
    ]
    assert named(document, "aws_lb_listener", "alb_https")["lifecycle"] == {"ignore_changes": ["default_action"]}


def test_mixing_ec2_and_fargate_is_rejected(dev_data, service):
    from constructs_lib.config import ConfigError, validate_env_data

    dev_data["ec2_capacity"] = {"instance_type": "m6i.large"}
    service["capacity_provider_strategy"] = [{"capacity_provider": "EC2"}, {"capacity_provider": "FARGATE"}]
    with pytest.raises(ConfigError) as error:
        validate_env_data(dev_data, "envs/dev.json")
    assert error.value.problems == [
        "envs/dev.json: services[1].capacity_provider_strategy: ECS cannot mix EC2 with FARGATE or FARGATE_SPOT in one strategy"
    ]


def test_ecs_native_blue_green_needs_provider_6_and_switches_a_production_rule(dev_data, service):
    """ECS-native blue/green uses `deployment_configuration` and `advanced_configuration`, which only AWS provider
    6.x knows: no shipped env file uses it (make validate runs provider 5.100); the typed 6.25 bindings build it."""
    service["deployment_ownership"] = "ecs_blue_green"
    service["blue_green_bake_time_minutes"] = 15
    document = synth_service(dev_data, 1)
    ecs = only(document, "aws_ecs_service")
    assert ecs["deployment_configuration"] == {"strategy": "BLUE_GREEN", "bake_time_in_minutes": "15"}
    assert ecs["load_balancer"][0]["advanced_configuration"] == {
        "alternate_target_group_arn": "${aws_lb_target_group.alb_green_target_group.arn}",
        "production_listener_rule": "${aws_lb_listener_rule.alb_production_rule.arn}",
        "role_arn": "${aws_iam_role.blue_green_role.arn}",
    }
    rule = only(document, "aws_lb_listener_rule")
    assert rule["listener_arn"] == "${aws_lb_listener.alb_https.arn}"
    assert rule["lifecycle"] == {"ignore_changes": ["action"]}
    assert named(document, "aws_iam_role_policy_attachment", "blue_green_role_policy")["policy_arn"] == (
        "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"
    )
    assert "lifecycle" not in ecs
