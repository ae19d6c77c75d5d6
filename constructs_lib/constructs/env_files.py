"""S3 environment files: bucket names read from SSM by convention, turned into the object ARNs ECS loads."""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import DataAwsSsmParameter
from ..props.naming import Naming
from ..props.storage import EnvironmentFileConfig


class EnvironmentFiles(Part):
    def __init__(self, scope: Construct, id: str, *, files: list[EnvironmentFileConfig], naming: Naming):
        super().__init__(scope, id)
        bucket_names: dict[str, str] = {}
        for base_name in dict.fromkeys(f.bucket_base_name for f in files):
            parameter = DataAwsSsmParameter(self, base_name, name=naming.env_file_bucket_parameter(base_name))
            bucket_names[base_name] = parameter.value
        self.object_arns = [f"arn:aws:s3:::{bucket_names[f.bucket_base_name]}/{f.file_path}" for f in files]
        self.bucket_arns = [f"arn:aws:s3:::{name}" for name in bucket_names.values()]
