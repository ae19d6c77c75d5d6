"""The stack that creates the S3 state bucket of an environment.

It keeps its own state locally at first (it creates the bucket the others store state in); with
`state_in_bucket` its backend is that bucket, for `terraform init -migrate-state` once the bucket exists.
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.embedded_json import renders_hcl
from .._jsii.engine import LocalBackend, TerraformOutput
from .._jsii.literal import literal_data
from ..config import EnvConfig
from ..constructs.state_bucket import StateBucket
from .stack import AwsStack


def bootstrap_state_key(env: EnvConfig) -> str:
    """Beside the env's service states; a service name never starts with `_`, so no service shares it."""
    return f"{env.state.key_prefix}/{env.environment}/_bootstrap/terraform.tfstate"


class BootstrapStack(AwsStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, state_in_bucket: bool = False):
        tags = {"organization": env.organization, "environment": env.environment, "service": "terraform-state"}
        super().__init__(scope, id, env=env, tags=tags, root_id="state", region=env.state.region)
        if state_in_bucket:
            self.state_in_bucket(env, bootstrap_state_key(env))
        else:
            LocalBackend(self, path="terraform.tfstate")
        state = literal_data(env.state, hcl=renders_hcl(self))
        self.state_bucket = StateBucket(
            self,
            "state",
            bucket_name=state.bucket,
            kms_key_id=state.kms_key_id,
            access_log_bucket=state.access_log_bucket,
        )
        TerraformOutput(self, "state_bucket", value=self.state_bucket.bucket.bucket)
