"""OSOM's rules below the views: one verb per thing a person does to a service.

Each operation reads the Document, checks OSOM's rules, and returns a ``Plan`` (the
Document edits to make, as one step) or raises a typed ``OperationRefused`` saying
what the person must supply: ``ReasonRequired`` (a live contract changes only with a
reason), ``AssessmentRequired`` (the lifecycle moves forward only through one),
``ConfirmationRequired`` (moving back), an ``Offer`` (also add the dependency, the map
component, the move). The view asks and calls again with the answer; the commands
layer records the Plan as one undo step. No Qt here: every rule is tested headless.
"""

from osom_desktop.operations.contract import (
    Reason,
    add_dependency,
    allocate_budget,
    change_contract,
    change_manager,
    change_service,
    check_new_dependency,
    check_reason,
    default_author,
    link_to_service,
    record_value,
    record_values,
    rename_service,
)
from osom_desktop.operations.contract_summary import describe_contract_change, describe_service_change
from osom_desktop.operations.guidance import decide_guidance, latest_decisions, record_decision, remove_decision
from osom_desktop.operations.lifecycle import (
    check_assessment,
    edit_assessment,
    move_lifecycle,
    record_assessment,
    remove_assessment,
)
from osom_desktop.operations.map_edits import edit_component
from osom_desktop.operations.plan import Plan
from osom_desktop.operations.refusals import (
    AssessmentRequired,
    ConfirmationRequired,
    Offer,
    OperationRefused,
    Question,
    ReasonRequired,
)

__all__ = [
    "AssessmentRequired",
    "ConfirmationRequired",
    "Offer",
    "OperationRefused",
    "Plan",
    "Question",
    "Reason",
    "ReasonRequired",
    "add_dependency",
    "change_contract",
    "change_manager",
    "change_service",
    "check_assessment",
    "check_new_dependency",
    "check_reason",
    "decide_guidance",
    "default_author",
    "describe_contract_change",
    "describe_service_change",
    "edit_assessment",
    "edit_component",
    "latest_decisions",
    "link_to_service",
    "move_lifecycle",
    "record_assessment",
    "record_decision",
    "record_value",
    "record_values",
    "allocate_budget",
    "remove_assessment",
    "remove_decision",
    "rename_service",
]
