"""The statements of the two task roles (the spec's IAM Security Model), each scoped to what the service uses.

The spec's "full RDS access" and broad S3 access are narrowed: `rds-db:connect` for the service's own
database user when IAM authentication is on, and S3 object access only to buckets the env file names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..constructs.cluster import ClusterReference
from ..constructs.iam import Statement
from ..props.resource_names import ecr_repository_arn, iam_db_user_arn
from ..props.service import ServiceOptions
from ..props.storage import EcsEfsConfig
from .secrets import SecretSources, merge_sources, option_sources, secret_arn_patterns

if TYPE_CHECKING:
    from .web_service_props import WebServiceProps


@dataclass(frozen=True)
class ServiceResources:
    """The ARNs a service touches at start-up and at run time."""

    region: str
    account_id: str
    log_group_arn: str
    secrets: SecretSources
    image_repository_arn: str | None
    environment_file_object_arns: list[str]
    environment_file_bucket_arns: list[str]
    iam_db_user_arn: str | None
    app_bucket_names: list[str]
    xray: bool
    execute_command: bool
    kms_key_arn: str | None
    exec_log_group_arn: str | None = None  # a cluster's own ECS Exec log group (default: the service's log group)


def service_resources(
    props: WebServiceProps,
    *,
    app_secrets: SecretSources,
    sidecar_secrets: list[SecretSources],
    log_group_arn: str,
    environment_file_object_arns: list[str],
    environment_file_bucket_arns: list[str],
) -> ServiceResources:
    """What `props` make the service touch, given the ARNs other constructs derive (or, for `prerequisites`,
    describe): the one input of both roles' statements."""
    option_arns = list(props.log_driver.secret_options.values())
    if props.firelens:
        option_arns += list(props.firelens.secret_options.values())
    connect = props.service_connect if isinstance(props, ServiceOptions) else None  # web services only
    if connect and connect.log_configuration:
        option_arns += list(connect.log_configuration.secret_options.values())
    return ServiceResources(
        region=props.region,
        account_id=props.account_id,
        log_group_arn=log_group_arn,
        secrets=merge_sources(app_secrets, *sidecar_secrets, option_sources(option_arns)),
        image_repository_arn=ecr_repository_arn(props.image),
        environment_file_object_arns=environment_file_object_arns,
        environment_file_bucket_arns=environment_file_bucket_arns,
        iam_db_user_arn=(
            iam_db_user_arn(props.region, props.account_id, props.service_name)
            if props.use_iam_authentication
            else None
        ),
        app_bucket_names=[],
        xray=props.xray,
        execute_command=props.enable_execute_command,
        kms_key_arn=props.kms_key_arn,
        exec_log_group_arn=_exec_log_group_arn(props.cluster, props.region, props.account_id),
    )


def _exec_log_group_arn(cluster: object, region: str, account_id: str) -> str | None:
    """The log group an existing cluster's ECS Exec sessions write to, when it is not the service's own."""
    name = cluster.exec_log_group_name if isinstance(cluster, ClusterReference) else None
    return f"arn:aws:logs:{region}:{account_id}:log-group:{name}" if name else None


def efs_grants(efs_config: EcsEfsConfig | None, file_system_arns: dict[str, str]) -> list[tuple[str, Statement]]:
    """(grant id, statement) of the task role for volumes mounted through an access point with IAM authorization:
    mount every file system, write those mounted writable."""
    if not efs_config or not file_system_arns:
        return []
    writable = {m.volume_name for m in efs_config.mount_points if not m.read_only}
    read_arns = list(dict.fromkeys(file_system_arns.values()))
    write_arns = list(dict.fromkeys(arn for name, arn in file_system_arns.items() if name in writable))
    grants = [("efs-mount", Statement("EfsMount", ["elasticfilesystem:ClientMount"], read_arns))]
    if write_arns:
        grants.append(("efs-write", Statement("EfsWrite", ["elasticfilesystem:ClientWrite"], write_arns)))
    return grants


def execution_role_statements(used: ServiceResources) -> list[Statement]:
    """What ECS needs to start the task: pull the image, write logs, read secrets and env files."""
    statements = []
    if used.image_repository_arn:
        statements += [
            # GetAuthorizationToken has no resource-level permissions: AWS requires "*".
            Statement("EcrAuthorization", ["ecr:GetAuthorizationToken"], ["*"]),
            Statement(
                "EcrPull",
                ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                [used.image_repository_arn],
            ),
        ]
    statements.append(_write_logs(used))
    statements += _read_secrets(used)
    if used.environment_file_object_arns:
        statements += [
            Statement("EnvironmentFiles", ["s3:GetObject"], used.environment_file_object_arns),
            Statement("EnvironmentFileBuckets", ["s3:GetBucketLocation"], used.environment_file_bucket_arns),
        ]
    return statements


def task_role_statements(used: ServiceResources) -> list[Statement]:
    """What the running app may do: its logs, its secrets, its database user and its buckets."""
    statements = [_write_logs(used), *_read_secrets(used)]
    if used.iam_db_user_arn:
        statements.append(Statement("RdsIamConnect", ["rds-db:connect"], [used.iam_db_user_arn]))
    if used.xray:
        # X-Ray has no resource-level permissions for sending traces and sampling: AWS requires "*".
        statements.append(
            Statement(
                "XRay",
                [
                    "xray:GetSamplingRules",
                    "xray:GetSamplingStatisticSummaries",
                    "xray:GetSamplingTargets",
                    "xray:PutTelemetryRecords",
                    "xray:PutTraceSegments",
                ],
                ["*"],
            )
        )
    if used.execute_command:
        # The ECS Exec channels (ssmmessages) have no resource-level permissions: AWS requires "*".
        statements.append(
            Statement(
                "EcsExec",
                [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                ["*"],
            )
        )
        statements.append(
            Statement(
                "EcsExecLogs", ["logs:DescribeLogGroups"], [f"arn:aws:logs:{used.region}:{used.account_id}:log-group:*"]
            )
        )
        if used.exec_log_group_arn:
            statements.append(
                Statement(
                    "EcsExecSessionLogs",
                    ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    [f"{used.exec_log_group_arn}:*"],
                )
            )
        if used.kms_key_arn:
            statements.append(Statement("EcsExecKms", ["kms:Decrypt", "kms:GenerateDataKey"], [used.kms_key_arn]))
    if used.app_bucket_names:
        statements += [
            Statement(
                "AppObjects",
                ["s3:GetObject", "s3:PutObject"],
                [f"arn:aws:s3:::{bucket}/*" for bucket in used.app_bucket_names],
            ),
            Statement("AppBuckets", ["s3:ListBucket"], [f"arn:aws:s3:::{bucket}" for bucket in used.app_bucket_names]),
        ]
    return statements


def _write_logs(used: ServiceResources) -> Statement:
    return Statement("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{used.log_group_arn}:*"])


def _read_secrets(used: ServiceResources) -> list[Statement]:
    statements = []
    if used.secrets.secret_arns:
        statements.append(
            Statement("Secrets", ["secretsmanager:GetSecretValue"], secret_arn_patterns(used.secrets.secret_arns))
        )
    if used.secrets.parameter_arns:
        statements.append(Statement("Parameters", ["ssm:GetParameters"], used.secrets.parameter_arns))
    if used.secrets.secret_arns or used.secrets.parameter_arns:
        # The keys encrypting the secrets are not named in the env file: any key of this account (and of each
        # trusted account a named secret lives in: its key lives there too), and only when Secrets Manager or SSM
        # asks on the task's behalf, for a secret the statements above already allow.
        named = [*used.secrets.secret_arns, *used.secrets.parameter_arns]
        owners = dict.fromkeys([used.account_id, *(arn.split(":")[4] for arn in named)])
        statements.append(
            Statement(
                "DecryptSecrets",
                ["kms:Decrypt"],
                [f"arn:aws:kms:{used.region}:{account}:key/*" for account in owners],
                {
                    "StringEquals": {
                        "kms:ViaService": [
                            f"secretsmanager.{used.region}.amazonaws.com",
                            f"ssm.{used.region}.amazonaws.com",
                        ]
                    }
                },
            )
        )
    return statements
