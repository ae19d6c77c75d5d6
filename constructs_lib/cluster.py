"""The ECS cluster with Container Insights and the Fargate capacity providers the service's strategy uses."""

from __future__ import annotations

from constructs import Construct

from .aws import EcsCluster, EcsClusterCapacityProviders, EcsClusterSetting

FARGATE_CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"]


class FargateCluster(Construct):
    def __init__(self, scope: Construct, id: str, *, name: str):
        super().__init__(scope, id)
        self.name = name
        self.cluster = EcsCluster(
            self, "Default", name=name, setting=[EcsClusterSetting(name="containerInsights", value="enabled")]
        )
        self.capacity_providers = EcsClusterCapacityProviders(
            self, "capacity-providers", cluster_name=self.cluster.name, capacity_providers=FARGATE_CAPACITY_PROVIDERS
        )
