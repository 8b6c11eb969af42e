"""The headless model: pure Python + pydantic, no Qt (checked by import-linter)."""

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

__all__ = [name for name in dir() if not name.startswith("_")]
