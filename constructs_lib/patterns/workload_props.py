"""What every workload built in Python is given as values and constructs instead of by an env file's conventions:
where it runs, its image, and the existing resources it uses instead of creating them. `WebServiceProps`,
`WorkerServiceProps` and `ScheduledTaskProps` each add these to what they are (`props.service`, `props.worker`,
`props.scheduled_task`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import ConfigDict, Field

from ..constructs.cluster import ClusterReference, FargateCluster
from ..props.arns import KMS_KEY_ARN, SECURITY_GROUP_ID
from ..props.base import IMAGE_REFERENCE, StrictModel
from ..props.limits import NAME_PART_PATTERN
from ..props.naming import Naming
from ..props.network import AccountId, NetworkConfig, Region
from ..props.resource_names import WorkloadNames, workload_names
from .props_errors import DeferredValidation

NamePart = Annotated[str, Field(pattern=NAME_PART_PATTERN, max_length=20)]
KmsAlias = Annotated[str, Field(pattern=r"^alias/[A-Za-z0-9/_-]{1,250}$")]
EXISTING_CLUSTER = "The cluster it runs in: a FargateCluster of your stack, or ClusterReference.from_name/from_arn."


class WorkloadProps(StrictModel):
    """Where a workload runs, its image, and the existing resources it uses."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    organization: NamePart = Field(description="First part of every name: {organization}-{environment}-{name}.")
    environment: NamePart = Field(description="Second part of every name (dev, prod, ...).")
    region: Region = Field(description="AWS region the workload runs in.")
    account_id: AccountId = Field(description="12-digit AWS account id the workload runs in.")
    network: NetworkConfig = Field(description="The existing VPC and its subnets.")
    image: IMAGE_REFERENCE = Field(
        description="The app container's image; an ECR image lets the execution role pull exactly that repository."
    )
    cluster: FargateCluster | ClusterReference | None = Field(
        default=None,
        description=f"{EXISTING_CLUSTER} default: a web service creates its own, named cluster_name",
    )
    kms_key_arn: KMS_KEY_ARN | None = Field(
        default=None,
        description="Customer managed key for the log group and ECS Exec sessions. default: AWS-owned keys",
    )
    kms_key_alias: KmsAlias | None = Field(
        default=None,
        description="Alias of an existing customer key, looked up by name (a data source) and used as kms_key_arn "
        "is; exclusive with kms_key_arn. default: none",
    )
    grant_existing_roles: bool = Field(
        default=True,
        description="Add the grants the workload needs to execution_role_arn and task_role_arn as inline policies; "
        "false: the roles' owner grants them (an env file's roles: `prerequisites` lists them). default: true",
    )
    task_security_group_ids: list[SECURITY_GROUP_ID] | None = Field(
        default=None,
        description="Existing security groups of the tasks (allow_from adds rules to the first). default: a group of "
        "its own (a web service's reachable from its ALB only, a worker's and a scheduled task's from nowhere)",
    )

    @property
    def naming(self) -> Naming:
        return Naming(self.organization, self.environment)


class HeadlessWorkloadProps(WorkloadProps, DeferredValidation):
    """A workload without a load balancer runs in a cluster someone else owns (the environment's)."""

    cluster: FargateCluster | ClusterReference = Field(description=EXISTING_CLUSTER)

    if TYPE_CHECKING:  # each subclass's options declare it (props.task.TaskOptions); not a field of its own here
        service_name: str

    @property
    def names(self) -> WorkloadNames:
        """A worker's and a scheduled task's resources are named alike: the task family, roles, security group and
        log group all follow from `service_name`."""
        return workload_names(self.naming, self.service_name)
