"""Config models of the env file (pydantic, no cdktf) and loading with file-and-field error messages."""

from ..props.network import NetworkConfig
from ..props.secrets import ContainerSecretConfig
from ..props.storage import (
    AppParametersConfig,
    EcsEfsConfig,
    EfsMountPointConfig,
    EfsVolumeConfig,
    EnvironmentFileConfig,
)
from .env import EnvConfig, StateConfig
from .errors import ConfigError
from .loader import load_env_file, load_env_files, validate_env_data
from .service import Route53Config, ServiceConfig

__all__ = [
    "AppParametersConfig",
    "ConfigError",
    "ContainerSecretConfig",
    "EcsEfsConfig",
    "EfsMountPointConfig",
    "EfsVolumeConfig",
    "EnvConfig",
    "EnvironmentFileConfig",
    "NetworkConfig",
    "Route53Config",
    "ServiceConfig",
    "StateConfig",
    "load_env_file",
    "load_env_files",
    "validate_env_data",
]
