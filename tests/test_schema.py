"""The OpenAPI contract at /api/schema/ is one that client generators can use (issue 16):
one content type per body (multipart only for uploads), the error envelope on every
operation, no null-only enum, no ambiguous oneOf, one language, patterns for periods and dates,
and the max lengths the serializers declare."""

import json
import re

import pytest
from rest_framework import serializers

from channelhub.schema import AREAS, PERIOD_PATTERNS, SchemaGenerator

ERROR = "#/components/schemas/Error"
VALIDATION_ERROR = "#/components/schemas/ValidationError"
METHODS = ("get", "put", "patch", "post", "delete")


def _fetch(client, **headers) -> dict:
    response = client.get("/api/schema/", {"format": "json"}, **headers)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture(scope="module")
def served():
    """The schema as /api/schema/ serves it, asked for in Chinese and in English."""
    from django.test import Client

    client = Client()
    return {
        "zh-hans": _fetch(client, HTTP_ACCEPT_LANGUAGE="zh-hans"),
        "en": _fetch(client, HTTP_ACCEPT_LANGUAGE="en"),
        "?lang=zh-hans": json.loads(
            client.get("/api/schema/", {"format": "json", "lang": "zh-hans"}).content
        ),
    }


@pytest.fixture(scope="module")
def schema(served) -> dict:
    return served["en"]


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _resolve(schema, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _has_binary(schema, node: dict, seen=()) -> bool:
    """Whether a body schema carries a file (a `format: binary` string), however nested."""
    if "$ref" in node:
        if node["$ref"] in seen:
            return False
        return _has_binary(schema, _resolve(schema, node), (*seen, node["$ref"]))
    if node.get("format") == "binary":
        return True
    subs = [*node.get("properties", {}).values(), *node.get("allOf", []), *node.get("oneOf", [])]
    if isinstance(node.get("items"), dict):
        subs.append(node["items"])
    return any(_has_binary(schema, sub, seen) for sub in subs)


def test_the_schema_is_the_same_whatever_language_the_request_asks_for(served):
    assert served["zh-hans"] == served["en"] == served["?lang=zh-hans"]
    described = served["en"]["components"]["schemas"]["MortgageStatusEnum"]["description"]
    assert "`rejected` - Rejected" in described  # English labels, not 已驳回


def test_no_class_name_a_generator_derives_depends_on_the_language(schema):
    """Query-parameter enums carry no title (generators name classes after titles)."""
    for _path, _method, operation in _operations(schema):
        for parameter in operation.get("parameters", ()):
            assert "title" not in parameter["schema"], parameter


def test_every_body_has_one_content_type_and_only_uploads_are_multipart(schema):
    uploads = []
    for path, method, operation in _operations(schema):
        body = operation.get("requestBody")
        if body is None:
            continue
        (content_type,) = body["content"]  # exactly one
        carries_a_file = _has_binary(schema, body["content"][content_type]["schema"])
        if content_type == "multipart/form-data":
            assert carries_a_file, f"{method} {path}: multipart without a file"
            uploads.append(f"{method.upper()} {path}")
        else:
            assert content_type == "application/json", f"{method} {path}: {content_type}"
            assert not carries_a_file, f"{method} {path}: a file in a JSON body"
    assert {
        "POST /api/v1/visits/import/",
        "POST /api/v1/signings/import/",
        "PUT /api/v1/contracts/{id}/pdf/",
    } <= set(uploads)


def _refs(schema_node: dict) -> set[str]:
    if "$ref" in schema_node:
        return {schema_node["$ref"]}
    return {ref for sub in schema_node.get("oneOf", ()) for ref in _refs(sub)}


def test_every_operation_documents_the_error_envelope(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        for code in ("400", "401", "403", "404"):
            assert code in responses, f"{method} {path} documents no {code}"
            refs = _refs(responses[code]["content"]["application/json"]["schema"])
            expected = VALIDATION_ERROR if code == "400" else ERROR
            assert expected in refs, f"{method} {path} {code}: {refs}"
        for code, response in responses.items():
            if code >= "400":
                assert response["description"], f"{method} {path} {code}"
    envelope = schema["components"]["schemas"]["ValidationError"]
    assert set(envelope["required"]) == {"detail", "code"}
    assert set(envelope["properties"]) == {"detail", "code", "errors"}


def test_the_login_documents_its_lockout_and_the_compute_its_queue(schema):
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    compute = schema["paths"]["/api/v1/incentives/compute/"]["post"]["responses"]
    for response in (token["429"], compute["503"]):
        assert response["content"]["application/json"]["schema"] == {"$ref": ERROR}


def test_an_invalid_body_answers_the_documented_envelope(client_as, english):
    """The envelope documented is the one the handler writes (common/exceptions.py)."""
    api = client_as("manager")
    wrong_type = api.post("/api/v1/projects/", "name=x", content_type="text/plain")
    assert wrong_type.status_code == 415
    assert set(wrong_type.json()) == {"detail", "code"}
    invalid = api.post("/api/v1/projects/", {}, format="json")
    assert invalid.status_code == 400
    assert set(invalid.json()) == {"detail", "code", "errors"}
    form = api.post("/api/v1/projects/", {"name": "x"}, format="multipart")
    assert form.status_code == 415  # JSON only: no form-encoded bodies outside uploads


def _walk(node, visit):
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def test_no_enum_is_null_only_and_no_one_of_matches_a_string_twice(schema):
    problems = []

    def visit(node):
        if "enum" in node and not [value for value in node["enum"] if value is not None]:
            problems.append(f"null-only enum {node}")
        branches = node.get("oneOf") or []
        plain = [b for b in branches if "$ref" not in b and b.get("type") == "string"]
        if len(plain) > 1:
            problems.append(f"oneOf of plain strings {node}")

    _walk(schema, visit)
    assert problems == []
    level = schema["components"]["schemas"]["Staff"]["properties"]["level"]
    assert level == {"nullable": True, "allOf": [{"$ref": "#/components/schemas/StaffLevelEnum"}]}
    email = schema["components"]["schemas"]["Partner"]["properties"]["contact_email"]
    assert email["type"] == "string" and "oneOf" not in email


def test_enums_list_every_value_the_server_returns(schema):
    """A visit is logged pending or confirmed but read back rejected too."""
    components = schema["components"]["schemas"]
    assert components["VisitStatusEnum"]["enum"] == ["pending", "confirmed", "rejected"]
    assert components["Visit"]["properties"]["status"]["allOf"] == [
        {"$ref": "#/components/schemas/VisitStatusEnum"}
    ]
    assert components["VisitRequest"]["properties"]["status"]["allOf"] == [
        {"$ref": "#/components/schemas/VisitLogStatusEnum"}
    ]
    visits = schema["paths"]["/api/v1/visits/"]["get"]["parameters"]
    (status,) = [p for p in visits if p["name"] == "status"]
    assert status["schema"] == {"$ref": "#/components/schemas/VisitStatusEnum"}


def test_enum_component_names_are_english_identifiers(schema):
    for name in schema["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name


def test_operations_carry_an_area_tag_and_a_summary_and_the_schema_a_server(schema):
    areas = set(AREAS)
    assert [tag["name"] for tag in schema["tags"]] == list(AREAS)
    assert schema["servers"][0]["url"] == "/"
    for path, method, operation in _operations(schema):
        assert operation["tags"] in ([tag] for tag in areas), f"{method} {path}"
        assert operation.get("summary"), f"{method} {path} has no summary"
        assert len(operation["summary"]) <= 100, f"{method} {path}"
    by_path = {path: item for path, item in schema["paths"].items()}
    assert by_path["/api/v1/visits/"]["get"]["tags"] == ["sales"]
    assert by_path["/api/v1/statements/"]["get"]["tags"] == ["incentives"]
    assert by_path["/api/v1/customers/"]["get"]["tags"] == ["customers"]


def _parameter(schema, path, name) -> dict:
    (found,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return _resolve(schema, found["schema"])


@pytest.mark.parametrize(
    ("path", "accepted", "refused"),
    [
        ("/api/v1/leaderboards/", ["2026-W47", "2026-11"], ["2026-Q4", "2026", "2026-11-01"]),
        ("/api/v1/statements/", ["2026-11"], ["2026-W47", "2026-Q4"]),
        ("/api/v1/targets/", ["2026-W47", "2026-11", "2026-Q4", "2026"], ["2026-13-1", "26-11"]),
    ],
)
def test_period_parameters_have_the_pattern_of_the_periods_they_take(
    schema, path, accepted, refused
):
    pattern = re.compile(_parameter(schema, path, "period")["pattern"])
    assert [code for code in accepted if pattern.search(code)] == accepted
    assert [code for code in refused if pattern.search(code)] == []


def test_every_period_has_a_pattern_and_every_date_parameter_a_format(schema):
    problems = []
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", ()):
            name, node = parameter["name"], _resolve(schema, parameter["schema"])
            if name == "period" and "pattern" not in node:
                problems.append(f"{method} {path} ?period")
            dated = re.search(r"(^date|_on|_after|_before|^date_from|^date_to)$", name)
            if dated and node.get("format") not in ("date", "date-time"):
                problems.append(f"{method} {path} ?{name}: {node}")

    def visit(node):
        period = node.get("properties", {}).get("period")
        if period and period.get("type") == "string" and "pattern" not in period:
            problems.append(f"a period property without a pattern: {node.get('description')}")

    _walk(schema["components"], visit)
    assert problems == []
    assert _parameter(schema, "/api/v1/daily-reports/", "date")["format"] == "date"
    assert set(PERIOD_PATTERNS) == {"week", "month", "quarter", "year"}


def _components_with_serializers():
    """Each schema component with the serializer drf-spectacular built it from."""
    generator = SchemaGenerator()
    built = generator.get_schema(request=None, public=True)
    for (name, _kind), component in generator.registry._components.items():
        serializer = component.object
        if isinstance(serializer, serializers.BaseSerializer) and hasattr(serializer, "fields"):
            yield name, built["components"]["schemas"].get(name, {}), serializer


def test_every_max_length_a_serializer_declares_is_in_the_schema():
    """Free text is bounded where the serializers bound it, and the schema says so."""
    checked, problems = 0, []
    for name, component, serializer in _components_with_serializers():
        for field_name, field in serializer.fields.items():
            limit = getattr(field, "max_length", None)
            prop = component.get("properties", {}).get(field_name)
            if not isinstance(field, serializers.CharField) or limit is None or prop is None:
                continue
            checked += 1
            if prop.get("maxLength") != limit:
                problems.append(
                    f"{name}.{field_name}: maxLength {prop.get('maxLength')} != {limit}"
                )
    assert checked > 50
    assert problems == []


def test_every_choice_field_a_response_shows_documents_every_value_its_model_holds():
    """The class of bug behind `Visit.status: [pending, confirmed]`: a field that takes a few
    choices must still document, for reads, every value its model column can hold."""
    problems, checked = [], 0
    for name, _component, serializer in _components_with_serializers():
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is None:
            continue
        for field_name, field in serializer.fields.items():
            if not isinstance(field, serializers.ChoiceField) or field.write_only:
                continue
            columns = {f.name: f for f in model._meta.get_fields()}
            column = columns.get((field.source or field_name).split(".")[0])
            held = {value for value, _label in getattr(column, "choices", None) or ()}
            read = set(dict(getattr(field, "read_choices", None) or field.choices))
            checked += bool(held)
            if held - read - {""}:
                problems.append(f"{name}.{field_name}: {sorted(held - read)} undocumented")
    assert checked > 10
    assert problems == []
