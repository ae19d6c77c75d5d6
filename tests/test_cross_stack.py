"""A consumer app reading the library's resources from a second stack of the same app gets what plain cdktf gives:
a cross-stack output in the service's stack and a `terraform_remote_state` in its own. The app synthesizes to the
same bytes with the speed tricks on and off (`ECS_CDKTF_FAST=off`), as JSON and as HCL, and both of its JSON
stacks pass `terraform validate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import read_env
from tf import init_offline, require_terraform, validate

REMOTE_STATE = "data.terraform_remote_state.cross-stack-reference-input-service"
# What the consumer stack reads, and where from: the attributes of the library's resources and constructs.
READS = {
    "load_balancer_arn": ("aws_lb.alb", "arn"),
    "https_listener_arn": ("aws_lb_listener.alb_https", "arn"),
    "task_role_arn": ("aws_iam_role.task_role", "arn"),
    "cluster_name": ("aws_ecs_cluster.cluster", "name"),
    "service_name": ("aws_ecs_service.service", "name"),
    "target_group_arn": ("aws_lb_target_group.alb_target_group", "arn"),
    "load_balancer_dns_name": ("aws_lb.alb", "dns_name"),
}


def consumer_app(outdir: Path, *, hcl: bool):
    """A ServiceStack of envs/dev.json's first service, and a stack of the consumer's own reading it."""
    from cdktf import App, TerraformOutput, TerraformStack

    from constructs_lib._jsii.aws import AwsProvider, SsmParameter
    from constructs_lib.config import validate_env_data
    from constructs_lib.stacks.stack import AWS_PROVIDER_CONSTRAINT, ServiceStack

    # The service stack creates its cluster here, so the consumer reads one of its resources across stacks.
    env = validate_env_data(read_env("dev") | {"environment_resources": {"clusters": False}}, "envs/dev.json")
    app = App(outdir=str(outdir), hcl_output=hcl)
    svc = ServiceStack(app, "service", env=env, service=env.services[0]).service
    consumer = TerraformStack(app, "consumer")
    AwsProvider(consumer, "aws", region="eu-west-1")
    consumer.add_override(
        "terraform.required_providers.aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_CONSTRAINT}
    )
    values = {
        "load_balancer_arn": svc.load_balancer.arn,
        "https_listener_arn": svc.https_listener.arn,
        "task_role_arn": svc.task_role.arn,
        "cluster_name": svc.cluster.cluster.name,
        "service_name": svc.service.service.name,
        "target_group_arn": svc.target_group.arn,
        "load_balancer_dns_name": svc.load_balancer_dns_name,
    }
    SsmParameter(consumer, "alb-arn", name="/consumer/alb-arn", type="String", value=values["load_balancer_arn"])
    SsmParameter(consumer, "task-role", name="/consumer/task-role", type="String",
                 value=json.dumps({"role": values["task_role_arn"]}))  # a reference inside a string
    for name, value in values.items():
        TerraformOutput(consumer, name, value=value)
    return app, svc, consumer


def synth(outdir: Path, *, hcl: bool, fast: str | None) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        if fast is None:
            patch.delenv("ECS_CDKTF_FAST", raising=False)
        else:
            patch.setenv("ECS_CDKTF_FAST", fast)
        consumer_app(outdir, hcl=hcl)[0].synth()
    stacks = outdir / "stacks"
    return {str(p.relative_to(stacks)): p.read_bytes() for p in sorted(stacks.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory) -> dict[tuple[bool, str | None], tuple[Path, dict[str, bytes]]]:
    runs = {}
    for hcl in (False, True):
        for fast in (None, "off"):
            outdir = tmp_path_factory.mktemp(f"{'hcl' if hcl else 'json'}-{fast or 'on'}")
            runs[hcl, fast] = outdir, synth(outdir, hcl=hcl, fast=fast)
    return runs


def stacks_of(synthesized, hcl: bool) -> dict[str, dict]:
    """The two stacks, parsed: with `hcl_output` the app writes `cdk.tf` (JSON, using `jsonencode()` for embedded
    documents), which the `cdktf synth --hcl` CLI turns into HCL text."""
    outdir, _ = synthesized[hcl, None]
    file = "cdk.tf" if hcl else "cdk.tf.json"
    return {name: json.loads((outdir / "stacks" / name / file).read_text()) for name in ("service", "consumer")}


@pytest.fixture(scope="module")
def stacks(synthesized) -> dict[str, dict]:
    return stacks_of(synthesized, hcl=False)


@pytest.mark.parametrize("hcl", [False, True], ids=["json", "hcl"])
def test_the_consumer_stack_reads_the_service_stack_through_its_remote_state(synthesized, hcl):
    stacks = stacks_of(synthesized, hcl)
    service, consumer = stacks["service"], stacks["consumer"]
    (remote,) = consumer["data"]["terraform_remote_state"].values()
    assert (remote["backend"], remote["config"]["key"]) == ("s3", service["terraform"]["backend"]["s3"]["key"])
    for name, (address, attribute) in READS.items():
        output = "cross-stack-output-" + address.replace(".", "") + attribute
        assert service["output"][output]["value"] == f"${{{address}.{attribute}}}", name
        assert consumer["output"][name]["value"] == f"${{{REMOTE_STATE}.outputs.{output}}}", name
    parameters = consumer["resource"]["aws_ssm_parameter"]
    assert parameters["alb-arn"]["value"] == consumer["output"]["load_balancer_arn"]["value"]
    assert json.loads(parameters["task-role"]["value"]) == {"role": consumer["output"]["task_role_arn"]["value"]}
    assert ("${jsonencode(" in json.dumps(service)) == hcl  # the app rendered as asked


def test_no_stack_references_an_address_it_does_not_hold(stacks):
    """The consumer stack holds no `aws_*` resource of the service's: every reference of it goes through the
    remote state (a dangling `${aws_lb.alb.arn}` is what Python-built references gave)."""
    text = json.dumps(stacks["consumer"])
    own = {f"{kind}.{name}" for kind, items in stacks["consumer"]["resource"].items() for name in items}
    for address, _ in READS.values():
        assert address not in own
        assert "${" + address not in text


@pytest.mark.parametrize("hcl", [False, True], ids=["json", "hcl"])
def test_the_app_writes_the_same_bytes_with_the_speed_tricks_off(synthesized, hcl):
    _, fast = synthesized[hcl, None]
    _, plain = synthesized[hcl, "off"]
    suffix = "cdk.tf" if hcl else "cdk.tf.json"
    assert sorted(name for name in fast if name.endswith(suffix)) == [f"consumer/{suffix}", f"service/{suffix}"]
    assert fast == plain


def test_wiring_reads_are_python_built_in_their_own_stack_only(tmp_path, monkeypatch):
    """`Part.ref`, the library's wiring read: a reference string built in Python for its own stack's resources
    (no call into the kernel), the resource itself (cdktf tokens) from another stack or with the tricks off."""
    from cdktf import Token

    from constructs_lib._jsii.addressing import Part

    monkeypatch.delenv("ECS_CDKTF_FAST", raising=False)
    _, svc, consumer = consumer_app(tmp_path, hcl=False)
    assert svc.ref(svc.load_balancer).arn == "${aws_lb.alb.arn}"
    assert Token.is_unresolved(svc.load_balancer.arn) and svc.load_balancer.arn.startswith("${TfToken[")
    assert Part(consumer, "reader").ref(svc.load_balancer) is svc.load_balancer
    monkeypatch.setenv("ECS_CDKTF_FAST", "off")
    assert svc.ref(svc.load_balancer) is svc.load_balancer


def test_both_json_stacks_validate(synthesized):
    require_terraform("terraform validate of the two-stack app")
    outdir, _ = synthesized[False, None]
    for name in ("service", "consumer"):
        stack_dir = outdir / "stacks" / name
        init_offline(stack_dir)
        result = validate(stack_dir)
        verdict = (result["valid"], result["error_count"], result["warning_count"])
        assert verdict == (True, 0, 0), (name, result["diagnostics"])


def test_a_library_address_cannot_be_changed_after_construction(tmp_path):
    """The library's wiring is built on its addresses (with the tricks on, as Python strings): a later
    `override_logical_id` would leave that wiring dangling, so it is refused; a consumer's own resources keep it."""
    from constructs_lib._jsii.addressing import AddressChangeError
    from constructs_lib._jsii.aws import CloudwatchLogGroup

    _, svc, consumer = consumer_app(tmp_path, hcl=False)
    for call in (lambda: svc.load_balancer.override_logical_id("legacy_alb"),
                 svc.load_balancer.reset_override_logical_id):
        with pytest.raises(AddressChangeError, match=r"^aws_lb\.alb: .* write a `moved` block$"):
            call()
    mine = CloudwatchLogGroup(consumer, "mine", name="mine")  # in a consumer's own stack: cdktf's ids, theirs
    mine.override_logical_id("renamed")
    assert mine.friendly_unique_id == "renamed"
