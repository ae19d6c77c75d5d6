"""Config models of the env file (pydantic, no cdktf) and loading with file-and-field error messages."""

from .env import EnvConfig, NetworkConfig, StateConfig
from .loader import ConfigError, load_env_file, load_env_files, validate_env_data
from .service import (
    AppParametersConfig,
    ContainerSecretConfig,
    EcsEfsConfig,
    EfsMountPointConfig,
    EfsVolumeConfig,
    EnvironmentFileConfig,
    Route53Config,
    ServiceConfig,
)

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
