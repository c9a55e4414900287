"""Check that no locked package needs a newer Rust than the workspace declares.

Only one toolchain can be installed on the build machines, so the minimum
supported Rust version is not compiled against; this checks what can be
checked: every package in the dependency graph (Cargo.lock as resolved by
`cargo metadata`) declares a rust-version at most the workspace's.
"""
import json
import subprocess
import sys


def version(text):
    parts = [int(part) for part in text.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"]))
ours = {p["id"] for p in meta["packages"] if p["id"] in meta["workspace_members"]}
msrv = max(version(p["rust_version"]) for p in meta["packages"] if p["id"] in ours and p.get("rust_version"))
too_new = sorted(
    f'{p["name"]} {p["version"]} needs {p["rust_version"]}'
    for p in meta["packages"]
    if p.get("rust_version") and version(p["rust_version"]) > msrv
)
if too_new:
    print(f"rust-version {'.'.join(map(str, msrv))} is below what the lock file needs:")
    print("\n".join("  " + t for t in too_new))
    sys.exit(1)
print(f"all {len(meta['packages'])} locked packages build on Rust {'.'.join(map(str, msrv))} or older (declared)")
