"""An EBS volume ECS creates for each task of the service and attaches at launch (the ECS
`ServiceManagedEBSVolumeConfiguration`), checked against the EBS limits of each volume type."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .arns import KMS_KEY
from .base import ECS_NAME, Matching, Problems, StrictModel, problem, typed

SNAPSHOT_ID = Annotated[
    str,
    Matching(
        r"^snap-[0-9a-f]{8,17}$",
        "is not an EBS snapshot id",
        "snap- and 8 or 17 hex digits",
    ),
]
MOUNT_PATH = Annotated[str, Matching(r"^/.*$", "is not an absolute path", "a path starting with /")]

# CreateVolume / ServiceManagedEBSVolumeConfiguration (botocore ecs 2014-11-13): GiB per volume type, IOPS per type
# (required for io1 and io2, refused for the others), throughput for gp3 only.
EBS_SIZE_GIB = {
    "gp2": (1, 16384),
    "gp3": (1, 16384),
    "io1": (4, 16384),
    "io2": (4, 16384),
    "st1": (125, 16384),
    "sc1": (125, 16384),
    "standard": (1, 1024),
}
EBS_IOPS = {"gp3": (3000, 16000), "io1": (100, 64000), "io2": (100, 256000)}
EBS_THROUGHPUT_MIBPS = (125, 1000)
VolumeType = Literal["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]


class EbsVolumeConfig(StrictModel):
    """One EBS volume per task, created by ECS at launch (through its infrastructure role) and deleted with the
    task: fast block storage that does not outlive the task; use EFS for data that must."""

    name: ECS_NAME = Field(default="ebs", description="Task volume name. default: ebs")
    container_path: MOUNT_PATH = Field(description="Absolute path the app container mounts the volume at.")
    size_gib: int | None = Field(
        default=None,
        description="Size in GiB (gp2/gp3 1-16384, io1/io2 4-16384, st1/sc1 125-16384, standard 1-1024); "
        "required without snapshot_id. default: the snapshot's size",
    )
    volume_type: VolumeType = Field(
        default="gp3",
        description="EBS volume type (standard needs EC2 capacity). default: gp3",
    )
    iops: int | None = Field(
        default=None,
        description="Provisioned IOPS: gp3 3000-16000, io1 100-64000, io2 100-256000 (required for io1 "
        "and io2). default: gp3's 3000",
    )
    throughput: int | None = Field(
        default=None,
        description="gp3 throughput in MiB/s (125-1000). default: gp3's 125",
    )
    encrypted: bool = Field(default=True, description="Encrypt the volume. default: true")
    kms_key_id: KMS_KEY | None = Field(
        default=None,
        description="KMS key for the volume (its policy must let the infrastructure role use it). "
        "default: the account's EBS default key",
    )
    snapshot_id: SNAPSHOT_ID | None = Field(default=None, description="Snapshot the volume starts from. default: empty")
    file_system_type: Literal["ext3", "ext4", "xfs"] | None = Field(
        default=None,
        description="File system; a snapshot's must match. default: ECS's xfs",
    )

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        kind = typed(data, "volume_type", str, "gp3")
        problems = _size_rules(data, kind) + _performance_rules(data, kind)
        if data.get("kms_key_id") is not None and typed(data, "encrypted", bool, True) is False:
            problems.append(
                problem(
                    ("kms_key_id",),
                    "set with encrypted false; a key encrypts, so drop one or the other",
                )
            )
        return problems


def _size_rules(data: dict[str, Any], kind: str | None) -> Problems:
    size = typed(data, "size_gib", int)
    if size is None and data.get("size_gib") is None and data.get("snapshot_id") is None:
        return [problem(("size_gib",), "missing: give size_gib or snapshot_id")]
    if size is not None and kind in EBS_SIZE_GIB:
        low, high = EBS_SIZE_GIB[kind]
        if not low <= size <= high:
            return [
                problem(
                    ("size_gib",),
                    f"{size} is not a {kind} volume size; allowed: {low}-{high} GiB",
                    size,
                )
            ]
    return []


def _performance_rules(data: dict[str, Any], kind: str | None) -> Problems:
    problems = []
    iops, throughput = typed(data, "iops", int), typed(data, "throughput", int)
    if kind in ("io1", "io2") and data.get("iops") is None:
        problems.append(problem(("iops",), f"missing: required for {kind} volumes"))
    if iops is not None and kind is not None:
        if kind not in EBS_IOPS:
            problems.append(
                problem(
                    ("iops",),
                    f"{iops} is set on a {kind} volume; allowed: on gp3, io1 and io2 only",
                    iops,
                )
            )
        elif not EBS_IOPS[kind][0] <= iops <= EBS_IOPS[kind][1]:
            low, high = EBS_IOPS[kind]
            problems.append(
                problem(
                    ("iops",),
                    f"{iops} is not a {kind} IOPS value; allowed: {low}-{high}",
                    iops,
                )
            )
    if throughput is not None and kind is not None:
        low, high = EBS_THROUGHPUT_MIBPS
        if kind != "gp3":
            problems.append(
                problem(
                    ("throughput",),
                    f"{throughput} is set on a {kind} volume; allowed: on gp3 only",
                    throughput,
                )
            )
        elif not low <= throughput <= high:
            problems.append(
                problem(
                    ("throughput",),
                    f"{throughput} is not a gp3 throughput; allowed: {low}-{high} MiB/s",
                    throughput,
                )
            )
    return problems
