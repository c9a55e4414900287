#!/usr/bin/env python3
"""Run the scim2-tester conformance checks against a SCIM 2.0 server.

Writes one JSON object per check result (JSON Lines), prints a summary and
compares the failures with an expected-failures file.

Usage (run.sh wraps this):

    driver.py --url BASE_URL [--output FILE] [--expected FILE] [--seed N]
              [--include-tags T,...] [--exclude-tags T,...]
              [--resource-types User,Group] [--timeout SECONDS]
              [--dont-check-content-type] [--dont-check-status-code]
    driver.py --from-results FILE --expected FILE   # re-judge a saved run

The bearer token is read from the SCIMKIT_CONFORMANCE_TOKEN environment
variable (never from the command line, so it does not show in `ps`).

Exit codes: 0 = no unexpected failure, 1 = at least one failure not listed
in the expected file, 2 = usage or setup error (no result at all, unreadable
expected file, ...).

Check identifiers are `[ResourceType/]check_name[param]`, for example
`service_provider_config_endpoint_methods[POST]`, `User/object_creation`,
`User/check_add_attribute[name.givenName]`,
`Group/object_query_with_attributes[excludedAttributes]`. They do not depend on
the random values the checker sends, so they are stable between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"

# scim2_tester.Status names -> outcome. In scim2-tester 0.5.2 the checkers only
# emit SUCCESS, ERROR and SKIPPED; the others are mapped for future versions.
OUTCOMES = {
    "SUCCESS": PASSED,
    "COMPLIANT": PASSED,  # follows a SHOULD
    "ACCEPTABLE": PASSED,  # uses a MAY
    "DEVIATION": FAILED,  # departs from a SHOULD: list it in the expected file
    "ERROR": FAILED,  # violates a MUST
    "CRITICAL": FAILED,
    "SKIPPED": SKIPPED,
}

HTTP_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PARAM_ATTR = "_scimkit_param"


# --------------------------------------------------------------------------
# determinism
# --------------------------------------------------------------------------
def seed_randomness(seed: int) -> None:
    """scim2-tester draws values from `random` and from `uuid.uuid4()`.

    Seed the former and replace the latter with a seeded generator so that two
    runs against the same (deterministic) server send the same requests.
    """
    random.seed(seed)
    rng = random.Random(f"scimkit-uuid-{seed}")

    def seeded_uuid4() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    uuid.uuid4 = seeded_uuid4  # scim2_tester calls uuid.uuid4() through the module


# --------------------------------------------------------------------------
# stable identifiers
# --------------------------------------------------------------------------
def install_param_hooks() -> None:
    """Tag results whose parameter cannot be read from the result itself."""
    from scim2_tester.checkers import resource_query_attributes as rqa
    from scim2_tester.checkers import resource_types as rt

    original_by_id = rt.query_resource_type_by_id

    def query_resource_type_by_id(context, resource_type, *args, **kwargs):
        results = original_by_id(context, resource_type, *args, **kwargs)
        for result in results:
            setattr(result, PARAM_ATTR, resource_type.id or resource_type.name)
        return results

    rt.query_resource_type_by_id = query_resource_type_by_id

    original_single = rqa._run_single_attribute_check

    def _run_single_attribute_check(context, model, test_obj, query_parameters, *a, **kw):
        result = original_single(context, model, test_obj, query_parameters, *a, **kw)
        if getattr(query_parameters, "attributes", None):
            setattr(result, PARAM_ATTR, "attributes")
        elif getattr(query_parameters, "excluded_attributes", None):
            setattr(result, PARAM_ATTR, "excludedAttributes")
        return result

    rqa._run_single_attribute_check = _run_single_attribute_check


def fix_exclude_tags(exclude: set[str]) -> None:
    """Work around scim2-tester 0.5.2 excluding the mandatory checks.

    Its tag matcher answers True for any check tagged "*" (the discovery
    queries every other check depends on), for include and exclude alike, so
    any exclude_tags skips discovery and therefore every resource check.
    Exclusion here never applies to "*" checks.
    """
    import scim2_tester.utils as tester_utils

    original = tester_utils._matches_hierarchical_tags

    def matches(func_tags, filter_tags):
        if filter_tags is exclude:
            if "*" in func_tags:
                return False
            return original(set(func_tags), filter_tags)
        return original(func_tags, filter_tags)

    tester_utils._matches_hierarchical_tags = matches


def result_param(result) -> str | None:
    param = getattr(result, PARAM_ATTR, None)
    if param:
        return str(param)
    title = result.title or ""
    reason = result.reason or ""
    data = result.data
    if title.endswith("_endpoint_methods"):
        word = reason.split(" ", 1)[0]
        if word in HTTP_METHODS:
            return word
    if title.startswith(("check_add_attribute", "check_remove_attribute", "check_replace_attribute")):
        if isinstance(data, dict) and data.get("urn"):
            return str(data["urn"])
        m = re.search(r"attribute '([^']+)'", reason)
        if m:
            return m.group(1)
    if title == "resource_types_schema_validation":
        m = re.match(r"ResourceType '([^']*)'", reason)
        if m:
            return m.group(1)
    if title == "access_schema_by_id":
        m = re.match(r"(?:Successfully accessed schema: |Failed to access schema )(\S+?):?(?:\s|$)", reason)
        if m:
            return m.group(1)
    return None


def make_id(resource_type: str | None, title: str | None, param: str | None) -> str:
    ident = title or "unnamed_check"
    if resource_type:
        ident = f"{resource_type}/{ident}"
    if param:
        ident = f"{ident}[{param}]"
    return re.sub(r"\s+", "_", ident)


# --------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------
def short(value, limit: int = 2000) -> str | None:
    if value is None:
        return None
    try:
        if hasattr(value, "model_dump"):
            text = json.dumps(value.model_dump(mode="json"), sort_keys=True, default=str)
        elif hasattr(value, "status_code") and hasattr(value, "text"):
            text = f"HTTP {value.status_code}: {value.text}"
        else:
            text = repr(value)
    except Exception:  # best effort, debugging aid only
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "...[truncated]"


def split_csv(value: str | None) -> list[str] | None:
    if not value:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


def run_checks(args) -> list[dict]:
    seed_randomness(args.seed)

    from httpx2 import Client
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import check_server

    install_param_hooks()

    headers = {}
    for item in getattr(args, "header", []) or []:
        name, _, value = item.partition(":")
        headers[name.strip()] = value.strip()
    token = os.environ.get("SCIMKIT_CONFORMANCE_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    hooks = {}
    trace = None
    if args.trace:
        Path(args.trace).parent.mkdir(parents=True, exist_ok=True)
        trace = open(args.trace, "w", encoding="utf-8")

        def log_response(response) -> None:
            response.read()
            request = response.request
            body = request.content.decode("utf-8", "replace") if request.content else ""
            trace.write(
                json.dumps(
                    {
                        "method": request.method,
                        "url": str(request.url),
                        "request_headers": {
                            k: v
                            for k, v in request.headers.items()
                            if k.lower() in ("content-type", "accept", "if-match", "if-none-match")
                        },
                        "request_body": body,
                        "status": response.status_code,
                        "content_type": response.headers.get("content-type"),
                        "response_body": response.text[:4000],
                    },
                    sort_keys=True,
                )
                + "\n"
            )

        hooks = {"response": [log_response]}
    http = Client(base_url=args.url, headers=headers, timeout=args.timeout, event_hooks=hooks)
    client = SyncSCIMClient(http)
    client.check_response_content_type = not args.dont_check_content_type
    client.check_response_status_codes = not args.dont_check_status_code

    include = split_csv(args.include_tags)
    exclude = split_csv(args.exclude_tags)
    exclude_set = set(exclude) if exclude else None
    if exclude_set:
        fix_exclude_tags(exclude_set)
    results = check_server(
        client,
        raise_exceptions=False,
        include_tags=set(include) if include else None,
        exclude_tags=exclude_set,
        resource_types=split_csv(args.resource_types),
    )
    http.close()
    if trace:
        trace.close()

    records = []
    # check_server() stops after the discovery checks when it cannot describe
    # the server (no ServiceProviderConfig, ResourceTypes or Schemas): record
    # that as a failure of its own so that it cannot go unnoticed.
    if not include and not split_csv(args.resource_types) and not any(r.resource_type for r in results):
        from scim2_tester import CheckResult, Status

        results = list(results) + [
            CheckResult(
                status=Status.ERROR,
                title="resource_checks_ran",
                reason="no resource type was checked: the discovery endpoints "
                "(ServiceProviderConfig, ResourceTypes, Schemas) did not describe the server",
                tags={"scimkit"},
            )
        ]

    seen: Counter[str] = Counter()
    for index, result in enumerate(results):
        param = result_param(result)
        base_id = make_id(result.resource_type, result.title, param)
        seen[base_id] += 1
        ident = base_id if seen[base_id] == 1 else f"{base_id}#{seen[base_id]}"
        status = result.status.name
        outcome = OUTCOMES.get(status, FAILED)
        records.append(
            {
                "id": ident,
                "index": index,
                "check": result.title,
                "resource_type": result.resource_type,
                "param": param,
                "status": status,
                "outcome": outcome,
                "reason": result.reason,
                "tags": sorted(result.tags or []),
                "data": short(result.data) if outcome == FAILED else None,
            }
        )
    return records


# --------------------------------------------------------------------------
# expected failures
# --------------------------------------------------------------------------
def read_expected(path: Path) -> dict[str, str]:
    """`identifier # reason` per line; blank lines and `#` lines are ignored."""
    expected: dict[str, str] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        ident, _, reason = line.partition(" #")
        ident = ident.strip()
        if not ident or any(c.isspace() for c in ident):
            raise ValueError(f"{path}:{lineno}: malformed line: {raw!r}")
        expected[ident] = reason.strip()
    return expected


def judge(records: list[dict], expected: dict[str, str] | None, expected_name: str) -> int:
    counts = Counter(r["outcome"] for r in records)
    by_status = Counter(r["status"] for r in records)
    failed = [r for r in records if r["outcome"] == FAILED]

    if failed:
        print(f"\nFailed checks ({len(failed)}):")
        for r in failed:
            mark = "expected" if expected is not None and r["id"] in expected else "UNEXPECTED"
            reason = (r["reason"] or "").replace("\n", " | ")
            if len(reason) > 400:
                reason = reason[:400] + "..."
            print(f"  [{mark}] {r['status']} {r['id']}: {reason}")

    rc = 0
    if expected is not None:
        ids = {r["id"] for r in records}
        failed_ids = {r["id"] for r in failed}
        unexpected = [r["id"] for r in failed if r["id"] not in expected]
        now_passing = [i for i in expected if i in ids and i not in failed_ids]
        absent = [i for i in expected if i not in ids]
        for ident in now_passing:
            print(f"NOTICE: {ident} is listed in {expected_name} but did not fail: remove it?")
        for ident in absent:
            print(f"NOTICE: {ident} is listed in {expected_name} but was not run")
        if unexpected:
            print(f"\n{len(unexpected)} unexpected failure(s) (not in {expected_name}):")
            for ident in unexpected:
                print(f"  {ident}")
            rc = 1
    elif failed:
        rc = 1

    statuses = ", ".join(f"{k}={v}" for k, v in sorted(by_status.items()))
    print(f"\nconformance ({statuses})")
    # Not the "N passed, N failed" form of a test summary: listed failures
    # are expected deviations, and a log reader must not count them as test
    # failures.
    print(
        f"conformance checks: {counts[PASSED]} passing, {counts[FAILED]} not passing "
        f"({'none unexpected' if rc == 0 else 'some unexpected'}), {counts[SKIPPED]} skipped"
    )
    return rc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="SCIM base URL, e.g. http://127.0.0.1:8080/scim/v2")
    p.add_argument("--output", help="write the per-check results (JSON Lines) here")
    p.add_argument("--expected", help="expected-failures file")
    p.add_argument("--from-results", help="judge a JSONL results file instead of running")
    p.add_argument("--seed", type=int, default=int(os.environ.get("SCIMKIT_CONFORMANCE_SEED", "0")))
    p.add_argument("--include-tags", help="comma separated scim2-tester tags to run only")
    p.add_argument("--exclude-tags", help="comma separated scim2-tester tags to skip")
    p.add_argument("--resource-types", help="comma separated resource type names to test")
    p.add_argument("--trace", help="write every HTTP exchange (JSON Lines) here")
    p.add_argument("--header", action="append", default=[],
                   help="extra request header NAME:VALUE (repeatable), e.g. Accept:application/json")
    p.add_argument("--timeout", type=float, default=30.0, help="HTTP timeout in seconds")
    p.add_argument("--dont-check-content-type", action="store_true")
    p.add_argument("--dont-check-status-code", action="store_true")
    args = p.parse_args(argv)

    expected = None
    expected_name = ""
    if args.expected:
        path = Path(args.expected)
        try:
            expected = read_expected(path)
        except (OSError, ValueError) as exc:
            print(f"error: cannot read expected-failures file: {exc}", file=sys.stderr)
            return 2
        expected_name = str(path)

    if args.from_results:
        records = [json.loads(line) for line in Path(args.from_results).read_text().splitlines() if line.strip()]
    else:
        if not args.url:
            p.error("--url is required unless --from-results is given")
        print(f"scim2-tester: checking {args.url} (seed {args.seed})", flush=True)
        records = run_checks(args)
        if args.output:
            out = Path(args.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r, sort_keys=True) + "\n")
            print(f"results: {out} ({len(records)} checks)")

    if not records:
        print("error: the checker produced no result", file=sys.stderr)
        return 2
    return judge(records, expected, expected_name)


if __name__ == "__main__":
    sys.exit(main())
