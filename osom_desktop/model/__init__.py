"""The headless model: pure Python + pydantic, no Qt (checked by import-linter)."""

# The names below are loaded when first used (PEP 562), not when the package is:
# importing ``osom_desktop.model.errors`` (as ``osom --version``, the CLI's error
# handling and the app's start do) must not pay for pydantic and every model class.
import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osom_desktop.model.document import Change, Document, Removed
    from osom_desktop.model.errors import ModelValidationError, OsomError
    from osom_desktop.model.service import (
        Assessment,
        AssessmentKind,
        AssessmentOutcome,
        Contract,
        ContractChange,
        DecisionStatus,
        Dependency,
        EvolutionStage,
        GuidanceDecision,
        GuidanceItem,
        LifecycleStage,
        Measure,
        MeasureDirection,
        RecordedValue,
        Revision,
        Service,
        ServiceDocument,
    )
    from osom_desktop.model.wardley import (
        Accelerator,
        AcceleratorKind,
        Annotation,
        Area,
        AreaKind,
        Component,
        ComponentKind,
        Evolve,
        FlowDirection,
        Link,
        Method,
        Note,
        Offset,
        Pipeline,
        RawKind,
        RawLine,
        ServiceRef,
        Url,
        WardleyMap,
    )

_LAZY = {
    'Change': 'document',
    'Document': 'document',
    'Removed': 'document',
    'ModelValidationError': 'errors',
    'OsomError': 'errors',
    'Assessment': 'service',
    'AssessmentKind': 'service',
    'AssessmentOutcome': 'service',
    'Contract': 'service',
    'ContractChange': 'service',
    'DecisionStatus': 'service',
    'Dependency': 'service',
    'EvolutionStage': 'service',
    'GuidanceDecision': 'service',
    'GuidanceItem': 'service',
    'LifecycleStage': 'service',
    'Measure': 'service',
    'MeasureDirection': 'service',
    'RecordedValue': 'service',
    'Revision': 'service',
    'Service': 'service',
    'ServiceDocument': 'service',
    'Accelerator': 'wardley',
    'AcceleratorKind': 'wardley',
    'Annotation': 'wardley',
    'Area': 'wardley',
    'AreaKind': 'wardley',
    'Component': 'wardley',
    'ComponentKind': 'wardley',
    'Evolve': 'wardley',
    'FlowDirection': 'wardley',
    'Link': 'wardley',
    'Method': 'wardley',
    'Note': 'wardley',
    'Offset': 'wardley',
    'Pipeline': 'wardley',
    'RawKind': 'wardley',
    'RawLine': 'wardley',
    'ServiceRef': 'wardley',
    'Url': 'wardley',
    'WardleyMap': 'wardley',
}


def __getattr__(name: str) -> object:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Accelerator",
    "AcceleratorKind",
    "Annotation",
    "Area",
    "AreaKind",
    "Assessment",
    "AssessmentKind",
    "AssessmentOutcome",
    "Change",
    "Component",
    "ComponentKind",
    "Contract",
    "ContractChange",
    "DecisionStatus",
    "Dependency",
    "Document",
    "EvolutionStage",
    "Evolve",
    "FlowDirection",
    "GuidanceDecision",
    "GuidanceItem",
    "LifecycleStage",
    "Link",
    "Measure",
    "MeasureDirection",
    "Method",
    "ModelValidationError",
    "Note",
    "Offset",
    "OsomError",
    "Pipeline",
    "RawKind",
    "RawLine",
    "RecordedValue",
    "Removed",
    "Revision",
    "Service",
    "ServiceDocument",
    "ServiceRef",
    "Url",
    "WardleyMap",
]
