"""Parsed Lambda-topic files → units: one per template or serverless.yml, one per Terraform folder; handler
code joins the unit whose functions name it, or stands alone."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from courseware.footguns.aws_lambda.formats import cloudformation, serverless
from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.loading import Loaded
from courseware.footguns.topic import Problem, Unit
from courseware.footguns.values import unreadable_number

# Function settings that AWS reads as whole numbers, and what people call them.
NUMBERS = {
    "timeout": "timeout",
    "memory": "memory size",
    "reserved_concurrency": "reserved concurrency",
    "provisioned_concurrency": "provisioned concurrency",
    "ephemeral_storage": "ephemeral storage size",
    "retries": "maximum retry attempts",
    "event_age": "maximum event age",
    "log_retention": "log retention",
}


def unreadable_numbers(app: Application) -> list[Problem]:
    problems = []
    for function in app.functions.values():
        for attribute, what in NUMBERS.items():
            setting = getattr(function, attribute, None)
            if unreadable_number(setting):
                problems.append(
                    Problem(
                        setting.file,
                        setting.line,
                        function.name,
                        f"The {what} of function {function.name} is {setting.value!r}, which is not a whole number: "
                        "the deployment is refused, and no check can say what it would do.",
                        f"Write the {what} as a whole number, without units or words, then check again.",
                    )
                )
    return problems


def build_units(loaded: Sequence[Loaded]) -> list[Unit]:
    units: list[Unit] = []
    terraform_units: dict[str, Unit] = {}
    python_files = []
    for item in loaded:
        if item.format in ("sam", "cloudformation"):
            unit = Unit(Application(), paths=[item.path])
            cloudformation.read_template(item.document, item.path, item.format, unit.model)
            units.append(unit)
        elif item.format == "serverless":
            unit = Unit(Application(), paths=[item.path])
            serverless.read_service(item.document, item.path, unit.model)
            units.append(unit)
        elif item.format == "terraform":
            folder = posixpath.dirname(item.path)
            unit = terraform_units.get(folder)
            if unit is None:
                unit = terraform_units[folder] = Unit(Application())
                units.append(unit)
            unit.paths.append(item.path)
        elif item.format == "python":
            python_files.append(item)
    if terraform_units:
        # Imported only when a .tf file is checked: a template alone never pays for the HCL model.
        from courseware.footguns.aws_lambda.formats import terraform

        for folder, unit in terraform_units.items():
            documents = [(item.path, item.document) for item in loaded if item.path in unit.paths]
            terraform.read_module(documents, folder, unit.model)
    for unit in units:
        unit.resources = set(unit.model.functions)
        unit.problems = unreadable_numbers(unit.model)
    if not python_files:
        return units
    # Imported only when handler code is checked (it brings the ast module and its own model).
    from courseware.footguns.aws_lambda.formats import python_handler

    facts = {item.path: python_handler.analyse(item.document, item.path) for item in python_files}
    matched = set()
    for unit in units:
        matched |= python_handler.attach(unit.model, facts, unit.paths)
    for path in sorted(set(facts) - matched):
        unit = Unit(Application(), paths=[path])
        unit.model.handlers[path] = facts[path]
        units.append(unit)
    for unit in units:
        unit.resources = set(unit.model.functions)
    return units
