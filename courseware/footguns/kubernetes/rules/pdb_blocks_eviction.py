from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import DisruptionBudget, Manifests
from courseware.footguns.kubernetes.rules._facts import replica_floor
from courseware.footguns.rule import Context, Hit, Rule
from courseware.footguns.values import whole_number


def _blocks(budget: DisruptionBudget, replicas: list[int]) -> str | None:
    if budget.max_unavailable is not None:
        value = budget.max_unavailable.value
        if whole_number(value) == 0 or value in ("0%", "0"):
            return f"maxUnavailable is {value}"
        return None
    if budget.min_available is not None:
        value = budget.min_available.value
        if value == "100%":
            return "minAvailable is 100%"
        number = whole_number(value)
        if number is not None and replicas and number >= min(replicas):
            return f"minAvailable is {number} with {min(replicas)} replica{'s' if min(replicas) != 1 else ''}"
    return None


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for budget in model.budgets:
        selected = [w for w in model.workloads if budget in model.budgets_for(w)]
        replicas = [r for w in selected if (r := replica_floor(model, w)) is not None]
        reason = _blocks(budget, replicas)
        if reason is None:
            continue
        setting = budget.max_unavailable or budget.min_available
        yield Hit(
            file=setting.file if setting else budget.file,
            line=setting.line if setting else budget.line,
            resource=f"PodDisruptionBudget/{budget.name}",
            message=(
                f"PodDisruptionBudget {budget.name} allows no voluntary disruption ({reason}). Every eviction "
                "is refused, so node drains hang and cluster upgrades stall until someone deletes the budget."
            ),
            fix="Allow at least one pod down: maxUnavailable: 1, or a minAvailable below the replica count.",
        )


RULE = Rule(
    id="kubernetes/pdb-blocks-eviction",
    footgun="kubernetes/missing-or-strict-pdb",
    severity="warning",
    summary="A PodDisruptionBudget that allows no disruption blocks every drain.",
    formats=("kubernetes",),
    check=check,
)
