"""`service_outputs`: another stack reads a deployed service's outputs from the S3 state its ServiceStack writes."""

from __future__ import annotations

import json

import pytest
from conftest import ENVS, read_env, synth_service


@pytest.fixture(scope="module")
def reader() -> dict:
    """A stack of its own (not an AwsStack) reading dev's app-service and using two of its outputs."""
    from cdktf import TerraformOutput, TerraformStack, Testing

    from constructs_lib import load_env_file
    from constructs_lib.stacks.remote_state import service_outputs

    stack = TerraformStack(Testing.app(), "reader")
    app_service = service_outputs(stack, "app_service", load_env_file(ENVS / "dev.json"), "app-service")
    TerraformOutput(stack, "alb", value=app_service.load_balancer_arn)
    TerraformOutput(stack, "url", value=app_service.url)
    return json.loads(Testing.synth(stack))


def test_reads_the_state_object_service_stack_writes(reader):
    service_stack = synth_service(read_env("dev"))
    backend = service_stack["terraform"]["backend"]["s3"]
    remote = reader["data"]["terraform_remote_state"]["app_service"]
    assert remote["backend"] == "s3"
    assert remote["config"] == {"bucket": backend["bucket"], "key": backend["key"], "region": backend["region"]}
    assert remote["config"]["key"] == "ecs/dev/app-service/terraform.tfstate"


def test_outputs_are_references_into_the_remote_state(reader):
    assert reader["output"]["alb"]["value"] == "${data.terraform_remote_state.app_service.outputs.load_balancer_arn}"
    assert reader["output"]["url"]["value"] == "${data.terraform_remote_state.app_service.outputs.url}"


def test_there_is_an_accessor_for_every_output_service_stack_emits():
    from constructs_lib.stacks.remote_state import SERVICE_OUTPUTS, ServiceRemoteState

    emitted = sorted(synth_service(read_env("dev"))["output"])
    assert sorted(SERVICE_OUTPUTS) == emitted
    assert all(isinstance(getattr(ServiceRemoteState, name), property) for name in SERVICE_OUTPUTS)


def test_every_accessor_reads_its_own_output():
    from cdktf import TerraformOutput, TerraformStack, Testing

    from constructs_lib import load_env_file
    from constructs_lib.stacks.remote_state import SERVICE_OUTPUTS, service_outputs

    stack = TerraformStack(Testing.app(), "reader")
    state = service_outputs(stack, "svc", load_env_file(ENVS / "prod.json"), "app-service")
    for name in SERVICE_OUTPUTS:
        TerraformOutput(stack, name, value=getattr(state, name))
    document = json.loads(Testing.synth(stack))
    assert {name: document["output"][name]["value"] for name in SERVICE_OUTPUTS} == {
        name: f"${{data.terraform_remote_state.svc.outputs.{name}}}" for name in SERVICE_OUTPUTS
    }
    assert document["data"]["terraform_remote_state"]["svc"]["config"]["bucket"] == "acme-prod-terraform-state"


def test_an_unknown_service_names_the_ones_the_env_has():
    from cdktf import TerraformStack, Testing

    from constructs_lib import load_env_file
    from constructs_lib.stacks.remote_state import service_outputs

    env = load_env_file(ENVS / "dev.json")
    with pytest.raises(ValueError) as error:
        service_outputs(TerraformStack(Testing.app(), "reader"), "x", env, "app-servce")
    known = ", ".join(s.service_name for s in env.services)
    assert str(error.value) == f"service_outputs: 'dev' has no service 'app-servce' (its services: {known})"
