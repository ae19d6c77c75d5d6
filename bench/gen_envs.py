"""Generate env files with N services each, for the synth benchmark.

Every service is the spec's "Basic ECS Service Configuration" JSON example (shared/seeds/ecs-builder-spec.txt: ECS,
ALB with HTTPS, Route53, secrets from Secrets Manager and SSM, S3 env files, EFS) with its names made unique
by an index; the env files hold only the required fields, valued as in `envs/dev.json`, and what validation needs
to accept the example (see `make_service` and `make_env`).

    python bench/gen_envs.py --services 10 --envs dev,staging,prod --outdir /tmp/envs
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

ORGANIZATION = "acme"
REGION = "eu-west-1"
SPEC_ACCOUNT = "123456789012"  # the account of the spec example's secret and certificate
ACCOUNTS = {
    "devops": "999999999999",
    "dev": "111111111111",
    "staging": "333333333333",
    "prod": "222222222222",
}

# The spec's JSON example, verbatim: the copy the spec-example tests check against the spec's text.
SERVICE_TEMPLATE: dict = json.loads(
    (Path(__file__).resolve().parent.parent / "tests" / "spec_examples" / "basic_service.json").read_text()
)


def make_service(index: int, environment: str = "dev") -> dict:
    """The template service with names unique to `index` (app01, app02, ...), and a DNS name unique to the
    environment too (env files synthesized together may not share one)."""
    service = copy.deepcopy(SERVICE_TEMPLATE)
    app = f"app{index:02d}"
    service["cluster_name"] = f"{app}-cluster"
    service["service_name"] = f"{app}-service"
    service["alb_name"] = f"{app}-alb"
    service["alb_domain_prefix"] = f"{app}-{environment}"
    service["ecr_repo_base_name"] = f"{app}-backend"
    # an ALB takes a certificate of its own region (the example's is in us-east-1, its services in eu-west-1)
    service["ssl_certificate_id"] = service["ssl_certificate_id"].replace(":us-east-1:", f":{REGION}:")
    return service


def make_env(environment: str, services: int) -> dict:
    """An env file for `environment` holding `services` services."""
    account = ACCOUNTS.get(environment, "444444444444")
    return {
        "organization": ORGANIZATION,
        "environment": environment,
        "account_id": account,
        "trusted_account_ids": [SPEC_ACCOUNT],
        "region": REGION,
        "accounts": dict(ACCOUNTS, **{environment: account}),
        "app_version": "1.4.2",
        "network": {
            "vpc_id": "vpc-0a1b2c3d4e5f60718",
            "private_subnet_ids": ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
            "public_subnet_ids": ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722"],
        },
        "state": {"bucket": f"{ORGANIZATION}-{environment}-terraform-state", "region": REGION},
        "services": [make_service(i, environment) for i in range(1, services + 1)],
    }


def write_envs(outdir: str | Path, environments: list[str], services: int) -> list[Path]:
    """Write `<outdir>/<environment>.json` for each environment; return the paths in order."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for environment in environments:
        path = outdir / f"{environment}.json"
        path.write_text(json.dumps(make_env(environment, services), indent=2) + "\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, required=True, help="services per env file")
    parser.add_argument("--envs", default="dev", help="comma-separated environment names (default: dev)")
    parser.add_argument("--outdir", required=True)
    args = parser.parse_args(argv)
    for path in write_envs(args.outdir, args.envs.split(","), args.services):
        print(path)


if __name__ == "__main__":
    main()
