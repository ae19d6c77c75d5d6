"""The plan-safety guard catches a change that would make Terraform destroy and recreate a resource."""

from __future__ import annotations

import json

from constructs_lib.cli import main

from conftest import ENVS


def write_env(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def test_guard_records_then_catches_a_renamed_alb_until_updated(tmp_path, capsys):
    data = json.loads((ENVS / "prod.json").read_text())
    env_file = write_env(tmp_path / "prod.json", data)
    lock = str(tmp_path / "stacks.lock.json")

    assert main(["guard", env_file, "--lock", lock]) == 0
    recorded = json.loads((tmp_path / "stacks.lock.json").read_text())
    assert recorded["stacks"]["prod-app-service"]["aws_lb.alb"] == {
        "internal": False, "load_balancer_type": "application", "name": "acme-prod-app-alb"
    }
    assert main(["guard", env_file, "--lock", lock]) == 0
    capsys.readouterr()

    data["services"][0]["alb_name"] = "api-alb"
    write_env(tmp_path / "prod.json", data)
    assert main(["guard", env_file, "--lock", lock]) == 3
    err = capsys.readouterr().err
    assert 'prod-app-service: aws_lb.alb: name "acme-prod-app-alb" -> "acme-prod-api-alb" forces a replacement' in err
    assert "prod-docs" not in err

    assert main(["guard", env_file, "--lock", lock, "--update"]) == 0
    assert main(["guard", env_file, "--lock", lock]) == 0


def test_guard_reports_a_removed_service_and_a_port_change(tmp_path, capsys):
    data = json.loads((ENVS / "dev.json").read_text())
    env_file = write_env(tmp_path / "dev.json", data)
    lock = str(tmp_path / "lock.json")
    assert main(["guard", env_file, "--lock", lock]) == 0
    data["services"][0]["application_port"] = 9000
    data["services"].pop(1)
    write_env(tmp_path / "dev.json", data)
    capsys.readouterr()
    assert main(["guard", env_file, "--lock", lock]) == 3
    err = capsys.readouterr().err
    assert "dev-docs: the stack is gone: terraform would destroy all 20 resources" in err
    assert "dev-app-service: aws_lb_target_group.alb_target_group: port 8000 -> 9000 forces a replacement" in err
