"""Operations described once: the same declaration checks roles and writes the OpenAPI document."""

from __future__ import annotations

import dataclasses
import functools
import re
import typing as t

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from catalog.auth import require_reader
from catalog.models import Role
from catalog.routing import MAX_ID
from catalog.schemas.common import Problem
from catalog.schemas.queries import ReadingLocale

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
REF = "#/components/schemas/{model}"

_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "Missing or invalid token",
    403: "Role not allowed",
    404: "Not found",
    409: "Conflict with the current state",
    412: "If-Match is stale",
    413: "Body too large",
    415: "Wrong content type",
    422: "Invalid input; `errors` names each field",
    428: "If-Match required",
    429: "Too many requests from this client; Retry-After says when to try again",
    503: "Temporarily unavailable",
}


@dataclasses.dataclass(frozen=True)
class Operation:
    """What one view does, for the reader of the API document and for role checks."""

    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_media_type: str = "application/json"
    query: type[BaseModel] | None = None
    # a model (JSON), a media type, several media types the answer may come as, or media type → schema
    responses: t.Mapping[
        int, type[BaseModel] | str | tuple[str, ...] | t.Mapping[str, t.Mapping[str, t.Any]] | None
    ] = dataclasses.field(default_factory=dict)
    raw_body: tuple[str, ...] = ()  # media types also accepted as the whole body (a file's bytes)
    roles: tuple[Role, ...] | None = None  # None: public
    any_user: bool = False  # any signed-in role
    locale_bound: bool = False  # translators only for the locales they hold (checked by the view)
    if_match: bool = False
    errors: tuple[int, ...] = ()
    etag: bool = False
    description: str = ""


def operation(**spec: t.Any) -> t.Callable[[F], F]:
    """Declare a view's operation; views with roles demand a token holding one of them."""
    op = Operation(**spec)

    def decorator(view: F) -> F:
        if op.roles is None and not op.any_user:
            view.openapi = op  # type: ignore[attr-defined]
            return view

        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            require_reader(*(op.roles or ()))
            return view(*args, **kwargs)

        wrapper.openapi = op  # type: ignore[attr-defined]
        return t.cast(F, wrapper)

    return decorator


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path(rule: str) -> tuple[str, list[dict[str, t.Any]]]:
    params = []
    for converter, name in _PARAM.findall(rule):
        schema: dict[str, t.Any] = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int" else {"type": "string"}
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _PARAM.sub(r"{\2}", rule), params


def _query_parameters(model: type[BaseModel], defs: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    schema = model.model_json_schema(ref_template=REF)
    defs.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def build_document(app: Flask, *, title: str, version: str) -> dict[str, t.Any]:
    """The OpenAPI 3.1 document of every declared operation of *app*."""
    ops: list[tuple[str, str, Operation]] = []
    models: set[type[BaseModel]] = {Problem}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        op: Operation | None = getattr(view, "openapi", None)
        if op is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            ops.append((rule.rule, method.lower(), op))
        if op.body:
            models.add(op.body)
        models.update(m for m in op.responses.values() if isinstance(m, type))
    ordered = sorted(models, key=lambda m: m.__name__)
    _, top = models_json_schema(
        [(m, "validation" if m is not Problem else "serialization") for m in ordered], ref_template=REF
    )
    schemas: dict[str, t.Any] = dict(top.get("$defs", {}))
    paths: dict[str, dict[str, t.Any]] = {}
    for rule_text, method, op in ops:
        path, params = _path(rule_text)
        paths.setdefault(path, {})[method] = _operation_object(op, params, schemas, rule_text, method)
    _add_links(paths, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "The HTTP contract of the Tianshan Catalog service.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


_LANGUAGE_HEADERS = {
    "Content-Language": {"schema": {"type": "string"}, "description": "The language of the answer"},
    "Vary": {"schema": {"type": "string"}, "description": "Names Accept-Language"},
}


def _negotiates_language(op: Operation) -> bool:
    """Whether the operation reads in a negotiated locale (its query takes a reading ``locale``)."""
    field = op.query.model_fields.get("locale") if op.query else None
    return field is not None and ReadingLocale in t.get_args(field.annotation)


_PATH_PARAM = re.compile(r"\{(\w+)\}")


def _add_links(paths: dict[str, dict[str, t.Any]], schemas: t.Mapping[str, t.Any]) -> None:
    """Link each creating operation to every operation on what it created, and reads to writes.

    ``POST /things`` answering 201 with an ``id`` leads to each operation under
    ``/things/{thing_id}``: the new id fills that parameter, the request's own path
    parameters fill theirs (further ones, such as a locale, are the client's choice), and the
    answer's ETag fills ``If-Match``. Clients and
    stateful testers follow these links from a new resource to all it offers. A read that
    answers an ETag leads to the writes of the same resource with that ETag as ``If-Match``.
    """
    for path, methods in paths.items():
        created = methods.get("post", {}).get("responses", {}).get("201")
        ref = (created or {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if "id" not in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}):
            continue
        own = _PATH_PARAM.findall(path)
        links: dict[str, t.Any] = {}
        for target, target_methods in paths.items():
            rest = target[len(path) :]
            found = _PATH_PARAM.match(rest.removeprefix("/")) if target.startswith(path + "/{") else None
            if found is None or _PATH_PARAM.findall(target)[: len(own) + 1] != [*own, found.group(1)]:
                continue
            for target_op in target_methods.values():
                parameters = {name: f"$request.path.{name}" for name in own}
                parameters[found.group(1)] = "$response.body#/id"
                if any(p["name"] == "If-Match" for p in target_op.get("parameters", [])):
                    parameters["header.If-Match"] = "$response.header.ETag"
                links[target_op["operationId"]] = {
                    "operationId": target_op["operationId"],
                    "parameters": parameters,
                }
        if links:
            created["links"] = links
    for path, methods in paths.items():
        read = methods.get("get", {}).get("responses", {}).get("200")
        if read is None or "ETag" not in read.get("headers", {}):
            continue
        same_path = {name: f"$request.path.{name}" for name in _PATH_PARAM.findall(path)}
        for method in ("put", "patch", "delete"):
            writer = methods.get(method)
            if writer and any(p["name"] == "If-Match" for p in writer.get("parameters", [])):
                parameters = {**same_path, "header.If-Match": "$response.header.ETag"}
                read.setdefault("links", {})[writer["operationId"]] = {
                    "operationId": writer["operationId"],
                    "parameters": parameters,
                }


def _operation_object(
    op: Operation, params: list[dict[str, t.Any]], schemas: dict[str, t.Any], rule: str, method: str
) -> dict[str, t.Any]:
    parameters = list(params)
    if op.query:
        parameters += _query_parameters(op.query, schemas)
    if _negotiates_language(op):
        parameters.append(
            {
                "name": "Accept-Language",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The reader's languages, used when ?locale= is absent and no choice is saved"
                " (the answer names its language in Content-Language)",
            }
        )
    if op.if_match:
        parameters.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The ETag last read (428 without)",
            }
        )
    obj: dict[str, t.Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "operationId": f"{method}_{re.sub(r'[^a-z0-9]+', '_', rule.lower()).strip('_')}",
        "responses": {},
    }
    if op.description:
        obj["description"] = op.description
    if parameters:
        obj["parameters"] = parameters
    if op.body:
        obj["requestBody"] = {
            "required": True,
            "content": {op.body_media_type: {"schema": {"$ref": REF.format(model=op.body.__name__)}}},
        }
    elif op.body_media_type == "multipart/form-data":
        file_schema = {"type": "string", "contentMediaType": "application/octet-stream"}
        obj["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": file_schema}, "required": ["file"]}
                },
                **{kind: {"schema": {"type": "string", "contentMediaType": kind}} for kind in op.raw_body},
            },
        }
    for status, model in op.responses.items():
        response: dict[str, t.Any] = {"description": "OK" if status < 300 else str(status)}
        if isinstance(model, type):
            response["content"] = {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}
        elif isinstance(model, str):
            response["content"] = {model: {"schema": {"type": "string"}}}
        elif isinstance(model, tuple):
            response["content"] = {kind: {"schema": {"type": "string"}} for kind in model}
        elif model is not None:
            response["content"] = {kind: {"schema": dict(schema)} for kind, schema in model.items()}
        if op.etag:
            response["headers"] = {"ETag": {"schema": {"type": "string"}}}
        if _negotiates_language(op) and status < 300:
            response.setdefault("headers", {}).update(_LANGUAGE_HEADERS)
        obj["responses"][str(status)] = response
    errors = set(op.errors) | {400}
    if op.roles is not None or op.any_user:
        obj["security"] = [{"bearer": []}]
        errors |= {401, 403}
    if op.if_match:
        errors |= {412, 428}
    if op.query:
        errors |= {422}
    if op.body:
        errors |= {413, 415, 422}
    for status in sorted(errors):
        obj["responses"][str(status)] = {
            "description": _ERROR_TEXT.get(status, "Error"),
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}},
        }
    return obj
