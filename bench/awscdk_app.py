"""The AWS CDK (aws-cdk-lib, CloudFormation) equivalent of our synth, for the benchmark's comparison.

Reads the same env files as `python -m constructs_lib synth` and builds one stack per service, as we do:
an `ApplicationLoadBalancedFargateService` on its own cluster (Fargate and Fargate Spot capacity providers,
Container Insights), HTTPS with the certificate from its ARN, HTTP->HTTPS redirect, an alias record in the
hosted zone from its attributes, capacity provider strategy FARGATE_SPOT weight 2 + FARGATE weight 1, the
existing VPC imported from explicit ids (no lookup, so no AWS call and no credentials), the ALB security
group open to the CloudFront prefix list only, container environment, secrets (Secrets Manager and SSM),
environment files, EFS volumes, health checks, a 30-day log group, the task role's policies and an SSM
parameter holding the ALB ARN.

Synthesized from Python by `App(outdir=...).synth()`: this needs the jsii Node runtime only, not the
`cdk` CLI. Runs in its own venv (bench/.venv-awscdk, see bench/requirements-awscdk.txt):

    bench/.venv-awscdk/bin/python bench/awscdk_app.py --outdir /tmp/cdk.out envs/dev.json envs/prod.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as patterns
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm


def _name(env: dict, name: str) -> str:
    return f"{env['organization']}-{env['environment']}-{name}"


def _certificate_arn(env: dict, certificate: str) -> str:
    if certificate.startswith("arn:"):
        return certificate
    return f"arn:aws:acm:{env['region']}:{env['account_id']}:certificate/{certificate}"


def _image(env: dict, svc: dict) -> ecs.ContainerImage:
    if svc.get("container_repo"):
        return ecs.ContainerImage.from_registry(svc["container_repo"])
    source = svc.get("ecr_repo_source_env", "devops")
    registry = f"{env['accounts'][source]}.dkr.ecr.{env['region']}.amazonaws.com"
    repository = f"{env['organization']}-{source}-{svc['ecr_repo_base_name']}"
    return ecs.ContainerImage.from_registry(f"{registry}/{repository}:{env['app_version']}")


def _secrets(stack: cdk.Stack, env: dict, svc: dict) -> dict[str, ecs.Secret]:
    secrets = {}
    for key, secret in (svc.get("parameters", {}).get("secrets") or {}).items():
        if secret["value_from"] == "SECRET":
            source = secretsmanager.Secret.from_secret_complete_arn(stack, f"secret-{key}", secret["arn"])
            secrets[key] = ecs.Secret.from_secrets_manager(source, secret.get("suffix"))
        else:
            parameter = ssm.StringParameter.from_secure_string_parameter_attributes(
                stack, f"param-{key}", parameter_name=f"/{env['organization']}/{env['environment']}/{secret['name']}"
            )
            secrets[key] = ecs.Secret.from_ssm_parameter(parameter)
    return secrets


def _health_check(svc: dict) -> ecs.HealthCheck | None:
    if not svc.get("health_check_cmd"):
        return None
    url = f"http://localhost:{svc['application_port']}{svc.get('health_check_path', '/')}"
    return ecs.HealthCheck(command=["CMD-SHELL", f"{svc['health_check_cmd']} {url} || exit 1"])


def service_stack(app: cdk.App, env: dict, svc: dict) -> cdk.Stack:
    """One stack holding one service, as our synth makes one Terraform stack per service."""
    stack = cdk.Stack(
        app,
        _name(env, svc["service_name"]),
        env=cdk.Environment(account=env["account_id"], region=env["region"]),
    )
    network = env["network"]
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "vpc",
        vpc_id=network["vpc_id"],
        availability_zones=[f"{env['region']}{zone}" for zone in "abc"[: len(network["private_subnet_ids"])]],
        private_subnet_ids=network["private_subnet_ids"],
        public_subnet_ids=network["public_subnet_ids"],
    )
    cluster = ecs.Cluster(
        stack,
        "cluster",
        vpc=vpc,
        cluster_name=_name(env, svc["cluster_name"]),
        enable_fargate_capacity_providers=True,
        container_insights_v2=ecs.ContainerInsights.ENABLED,
    )
    alb_group = ec2.SecurityGroup(stack, "alb-sg", vpc=vpc, allow_all_outbound=True)
    alb_group.add_ingress_rule(
        ec2.Peer.prefix_list(svc["eu_west_cloudront_prefix_list_id"]), ec2.Port.tcp(443), "HTTPS from CloudFront"
    )
    load_balancer = elbv2.ApplicationLoadBalancer(
        stack,
        "alb",
        vpc=vpc,
        internet_facing=True,
        load_balancer_name=_name(env, svc["alb_name"])[:32],
        security_group=alb_group,
        vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
    )
    log_group = logs.LogGroup(
        stack,
        "logs",
        log_group_name=f"/ecs/{_name(env, svc['service_name'])}",
        retention=logs.RetentionDays.ONE_MONTH,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    route = svc["route53"]
    zone = route53.HostedZone.from_hosted_zone_attributes(
        stack, "zone", hosted_zone_id=route["hosted_zone_id"], zone_name=route["domain_name"]
    )
    desired = svc.get("desired_count", 1)
    fargate = patterns.ApplicationLoadBalancedFargateService(
        stack,
        "service",
        cluster=cluster,
        service_name=_name(env, svc["service_name"]),
        load_balancer=load_balancer,
        open_listener=False,
        cpu=svc.get("cpu", 256),
        memory_limit_mib=svc.get("memory_limit_mib", 512),
        desired_count=desired,
        min_healthy_percent=100 if desired == 1 else 50,
        max_healthy_percent=200,
        circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
        health_check_grace_period=cdk.Duration.seconds(60),
        capacity_provider_strategies=[
            ecs.CapacityProviderStrategy(capacity_provider="FARGATE_SPOT", weight=2),
            ecs.CapacityProviderStrategy(capacity_provider="FARGATE", weight=1),
        ],
        certificate=acm.Certificate.from_certificate_arn(
            stack, "certificate", _certificate_arn(env, svc["ssl_certificate_id"])
        ),
        protocol=elbv2.ApplicationProtocol.HTTPS,
        ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS,
        redirect_http=True,
        domain_name=f"{svc['alb_domain_prefix']}.{route['domain_name']}",
        domain_zone=zone,
        public_load_balancer=True,
        assign_public_ip=False,
        task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
        health_check=_health_check(svc),
        task_image_options=patterns.ApplicationLoadBalancedTaskImageOptions(
            image=_image(env, svc),
            container_name=svc["service_name"],
            container_port=svc["application_port"],
            environment=(svc.get("parameters", {}).get("environment") or {}),
            secrets=_secrets(stack, env, svc),
            log_driver=ecs.LogDrivers.aws_logs(stream_prefix=svc["service_name"], log_group=log_group),
        ),
    )
    fargate.target_group.configure_health_check(
        path=svc.get("health_check_path", "/"), healthy_http_codes="200,302"
    )
    container = fargate.task_definition.default_container
    if svc.get("admin_active") and svc.get("admin_port"):
        container.add_port_mappings(ecs.PortMapping(container_port=svc["admin_port"]))
    _add_environment_files(stack, env, svc, fargate.task_definition)
    _add_efs(stack, env, svc, fargate.task_definition, container)
    _add_task_role_policies(env, svc, fargate.task_definition.task_role)
    ssm.StringParameter(
        stack,
        "alb-arn",
        parameter_name=f"/{env['organization']}/{env['environment']}/{svc['alb_name']}/alb-arn",
        string_value=load_balancer.load_balancer_arn,
    )
    return stack


def _add_environment_files(stack, env, svc, task_definition) -> None:
    # the container's environment files can only be given when it is created, which the pattern does:
    # set them on the CloudFormation resource and grant the execution role, as the pattern would
    files = []
    for index, env_file in enumerate(svc.get("environment_files") or []):
        bucket_name = ssm.StringParameter.value_for_string_parameter(
            stack, f"/{env['organization']}/{env['environment']}/s3/{env_file['bucket_base_name']}"
        )
        bucket = s3.Bucket.from_bucket_name(stack, f"env-bucket-{index}", bucket_name)
        bucket.grant_read(task_definition.obtain_execution_role(), env_file["file_path"])
        files.append({"Type": "s3", "Value": bucket.arn_for_objects(env_file["file_path"])})
    if files:
        cfn = task_definition.node.default_child
        cfn.add_property_override("ContainerDefinitions.0.EnvironmentFiles", files)


def _add_efs(stack, env, svc, task_definition, container) -> None:
    efs = svc.get("efs_config")
    if not efs:
        return
    prefix = f"/{env['organization']}/{env['environment']}/efs"
    for volume in efs.get("volumes", []):
        access_point = volume.get("ap_parameter_key_suffix")
        task_definition.add_volume(
            name=volume["volume_name"],
            efs_volume_configuration=ecs.EfsVolumeConfiguration(
                file_system_id=ssm.StringParameter.value_for_string_parameter(
                    stack, f"{prefix}/{volume['efs_parameter_key_suffix']}"
                ),
                transit_encryption="ENABLED",
                authorization_config=ecs.AuthorizationConfig(
                    access_point_id=ssm.StringParameter.value_for_string_parameter(
                        stack, f"{prefix}/ap/{access_point}"
                    ),
                    iam="ENABLED",
                )
                if access_point
                else None,
            ),
        )
    if efs.get("container_user"):
        task_definition.node.default_child.add_property_override(
            "ContainerDefinitions.0.User", efs["container_user"]
        )
    container.add_mount_points(
        *[
            ecs.MountPoint(
                source_volume=mount["volume_name"],
                container_path=mount["container_path"],
                read_only=mount.get("read_only", False),
            )
            for mount in efs.get("mount_points", [])
        ]
    )


def _add_task_role_policies(env: dict, svc: dict, role: iam.IRole) -> None:
    account, region = env["account_id"], env["region"]
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
            resources=[f"arn:aws:s3:::{env['organization']}-{env['environment']}-*"],
        )
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[f"arn:aws:logs:{region}:{account}:log-group:/ecs/*"],
        )
    )
    if svc.get("use_iam_authentication"):
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["rds-db:connect"], resources=[f"arn:aws:rds-db:{region}:{account}:dbuser:*/*"]
            )
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="AWS CDK synth of the services of env files")
    parser.add_argument("env_files", nargs="+")
    parser.add_argument("--outdir", required=True)
    args = parser.parse_args(argv)
    app = cdk.App(outdir=args.outdir, analytics_reporting=False)
    for path in args.env_files:
        env = json.loads(Path(path).read_text())
        for svc in env["services"]:
            service_stack(app, env, svc)
    app.synth()


if __name__ == "__main__":
    main()
