"""A stand-in for `python -m constructs_lib synth`, to test the benchmark harness without the library.

Takes the same arguments (synth ENV_FILE... --outdir DIR) and writes DIR/stacks/<org>-<env>-<service>/cdk.tf.json
for every service (the service as data, and the provider block `changed` reads the environment from) and a
manifest.json of cdktf's shape, with no cdktf at all.

    python bench/stub_synth.py synth envs/dev.json --outdir /tmp/out
"""

import argparse
import json
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["synth"])
    parser.add_argument("env_files", nargs="+")
    parser.add_argument("--outdir", required=True)
    args = parser.parse_args(argv)
    manifest = {"version": "stub", "stacks": {}}
    for path in args.env_files:
        env = json.loads(Path(path).read_text())
        provider = {"aws": [{"allowed_account_ids": [env["account_id"]], "region": env["region"],
                             "default_tags": [{"tags": {"environment": env["environment"]}}]}]}
        workloads = [w for kind in ("services", "workers", "scheduled_tasks") for w in env.get(kind, [])]
        for name, content in [("environment", {"environment": env["environment"]})] + [
            (workload["service_name"], workload) for workload in workloads
        ]:
            stack = f"{env['organization']}-{env['environment']}-{name}"
            folder = Path(args.outdir, "stacks", stack)
            folder.mkdir(parents=True)
            (folder / "cdk.tf.json").write_text(json.dumps({"provider": provider, "stub": content}))
            manifest["stacks"][stack] = {"synthesizedStackPath": f"stacks/{stack}/cdk.tf.json"}
    Path(args.outdir, "manifest.json").write_text(json.dumps(manifest))


if __name__ == "__main__":
    main()
