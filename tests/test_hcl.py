"""hcl.py mends cdktf's HCL text: lone interpolations unwrapped as `terraform fmt` does, quoted traversals of
`depends_on`/`ignore_changes` unquoted; everything else (literal text, templates, heredoc bodies) as written.
The real CLI output is checked end to end in test_cdktf_cli.py and test_consumer.py."""

from __future__ import annotations

import pytest

from constructs_lib._jsii.hcl import terraform_hcl

UNWRAPPED = {
    'arn = "${aws_lb.alb.arn}"': "arn = aws_lb.alb.arn",
    '  value = "${data.aws_ssm_parameter.x.value}"': "  value = data.aws_ssm_parameter.x.value",
    'name = "${tolist(aws_acm_certificate.c.domain_validation_options).0.resource_record_name}"':
        "name = tolist(aws_acm_certificate.c.domain_validation_options).0.resource_record_name",
    'policy = "${jsonencode({"Resource" = [aws_t.t.arn, "${aws_t.t.arn}/index/*"], "Sid" = "A{}"})}"':
        'policy = jsonencode({"Resource" = [aws_t.t.arn, "${aws_t.t.arn}/index/*"], "Sid" = "A{}"})',
    'name = "${replace(var.x, "\\"}", "")}"': 'name = replace(var.x, "\\"}", "")',
}

UNCHANGED = [
    'name = "${aws_ecs_service.service.name}-cpu"',  # text after the interpolation
    'name = "arn:${aws_lb.alb.arn}"',  # text before it
    'label = "${aws_lb.alb.arn_suffix}/${aws_lb_target_group.tg.arn_suffix}"',  # two interpolations
    'command = "$${HOME}"',  # literal text, escaped
    'command = "$${HOME}${aws_lb.alb.arn}"',
    'text = "%{if true}yes%{endif}"',  # a template directive
    'name = "plain"',
    '"${aws_lb.alb.arn}",',  # a list item: `terraform fmt` leaves those too
    'security_groups = [\n"sg-0123",\n]',
    'records = [\n"${aws_route53_record.r.fqdn}"\n]',
    'user_data = <<EOF\nname = "${aws_lb.alb.arn}"\ndepends_on = [\n"aws_lb.alb",\n]\nEOF\nx = 1',  # heredoc body
]


@pytest.mark.parametrize("line, expected", UNWRAPPED.items())
def test_a_lone_interpolation_is_unwrapped(line, expected):
    assert terraform_hcl(line) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_literal_text_templates_and_heredocs_stay(text):
    assert terraform_hcl(text) == text


def test_depends_on_and_ignore_changes_list_traversals():
    text = "\n".join([
        'resource "aws_ecs_service" "service" {',
        "depends_on = [",
        '"aws_lb_listener.alb_https",',
        '"data.aws_iam_policy_document.doc",',
        '"aws_ecs_cluster_capacity_providers.orders-api_cluster_A62273BC"',
        "]",
        "lifecycle {",
        "  ignore_changes = [",
        '"task_definition",',
        '"desired_count",',
        "]",
        "}",
        'tags = ["kept"]',
        "}",
    ])
    assert terraform_hcl(text).split("\n") == [
        'resource "aws_ecs_service" "service" {',
        "depends_on = [",
        "aws_lb_listener.alb_https,",
        "data.aws_iam_policy_document.doc,",
        "aws_ecs_cluster_capacity_providers.orders-api_cluster_A62273BC",
        "]",
        "lifecycle {",
        "  ignore_changes = [",
        "task_definition,",
        "desired_count,",
        "]",
        "}",
        'tags = ["kept"]',
        "}",
    ]
