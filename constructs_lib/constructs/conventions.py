"""Fixed choices of the service's shape that both the constructs and the pure tools (cost, diagram) read.

No cdktf here: `cost` and `diagram` stay fast by importing only this.
"""

from __future__ import annotations

# The ECSBuilder's cost-optimized strategy: (capacity provider, weight, base), 2:1 Spot to on-demand.
DEFAULT_CAPACITY_STRATEGY: tuple[tuple[str, int, int], ...] = (("FARGATE_SPOT", 2, 0), ("FARGATE", 1, 0))

XRAY_CONTAINER = "xray-daemon"
LOG_ROUTER_CONTAINER = "log-router"
CODEDEPLOY_TEST_LISTENER_PORT = 8443
