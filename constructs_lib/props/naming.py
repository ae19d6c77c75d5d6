"""Resource names: `{organization}-{environment}-{name}`, cut to each AWS limit with a short stable hash.

A cut name keeps its readable start and ends in six hex digits of the full name's SHA-256, so two long names
that share a prefix never collide, and the same config always yields the same name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

HASH_LENGTH = 6


def short_hash(*parts: object, length: int = HASH_LENGTH) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:length]


def fit(name: str, limit: int) -> str:
    """`name` when it fits, else its start and a hash of the whole, `limit` characters at most."""
    if len(name) <= limit:
        return name
    head = name[: limit - HASH_LENGTH - 1].rstrip("-_./")
    return f"{head}-{short_hash(name)}"


@dataclass(frozen=True)
class Naming:
    """Every name and SSM path one environment derives by convention; the README documents each."""

    organization: str
    environment: str

    @property
    def prefix(self) -> str:
        return f"{self.organization}-{self.environment}"

    def resource(self, name: str, limit: int) -> str:
        return fit(f"{self.prefix}-{name}", limit)

    def ssm_path(self, *parts: str) -> str:
        """Hierarchical SSM parameter name `/{organization}/{environment}/...`."""
        return "/" + "/".join((self.organization, self.environment, *parts))

    def ecr_repository(self, source_environment: str, base_name: str) -> str:
        return f"{self.organization}-{source_environment}-{base_name}"

    def log_group(self, service_name: str) -> str:
        return f"/ecs/{self.prefix}-{service_name}"

    def secret_parameter(self, name: str) -> str:
        """A PARAM secret's SSM name: absolute names are kept, relative ones go under the environment."""
        return name if name.startswith("/") else self.ssm_path(name)

    def efs_file_system_parameter(self, suffix: str) -> str:
        return self.ssm_path("efs", suffix, "id")

    def efs_access_point_parameter(self, suffix: str) -> str:
        return self.ssm_path("efs", "access-points", suffix, "id")

    def env_file_bucket_parameter(self, bucket_base_name: str) -> str:
        return self.ssm_path("s3", bucket_base_name, "name")

    def alb_arn_parameter(self, alb_name: str) -> str:
        return self.ssm_path("alb", alb_name, "arn")

    def alb_security_group(self, alb_name: str, role: str) -> str:
        """Pre-created (or created) ALB groups: `{prefix}-{alb_name}-cloudfront` and `{prefix}-{alb_name}-private`."""
        return self.resource(f"{alb_name}-{role}", 255)
