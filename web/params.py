"""Path and query parameter types with the bounds of ``audits.boundary.bounds``, in the form
Litestar's parameter parsing enforces and documents (it reads ``Parameter``, not msgspec's
``Meta``)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from audits.boundary.bounds import ID_MAX

PathId = Annotated[int, Parameter(ge=1, le=ID_MAX, description="A database id.")]
QueryLimit = Annotated[int, Parameter(ge=1, le=1000)]
QueryOffset = Annotated[int, Parameter(ge=0, le=1_000_000)]
